package io.tlsagent.demo;

import java.util.Arrays;
import java.util.List;

/**
 * The Spring Boot application of compat-tests/apps with the demo's workload in the same JVM, so that its
 * {@code /actuator/prometheus} (with the agent's metrics=app) carries every metric the dashboards show: {@code
 * BootWithDemo <Spring Boot arguments> -- <demo arguments>}. The application is found by name on the class path
 * (DashboardsIT builds it from that module's target directory); this module does not depend on Spring Boot.
 */
public final class BootWithDemo {

    private BootWithDemo() {}

    public static void main(String[] args) throws Exception {
        List<String> all = Arrays.asList(args);
        int split = all.indexOf("--");
        String[] boot = all.subList(0, split).toArray(new String[0]);
        String[] demo = all.subList(split + 1, all.size()).toArray(new String[0]);
        // As the demo does first thing, but before Spring Boot's Tomcat makes the JVM's first SSLContext.
        LegacyTls.enable();
        Thread workload = new Thread(() -> DemoApp.main(demo), "demo");
        workload.setDaemon(true);
        workload.start();
        Class.forName("io.tlsagent.compat.boot.BootApp").getMethod("main", String[].class)
                .invoke(null, (Object) boot);
    }
}
