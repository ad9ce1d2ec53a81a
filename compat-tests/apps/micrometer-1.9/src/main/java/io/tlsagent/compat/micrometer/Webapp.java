package io.tlsagent.compat.micrometer;

import java.io.File;
import java.lang.ref.WeakReference;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.List;

/**
 * A web application's own copy of Micrometer, as a servlet container gives each application: the Micrometer jars of
 * this class path in a class loader of their own (parent: the platform loader), with a PrometheusMeterRegistry in
 * that copy's global registry, used through reflection as the container's code would not see it.
 */
final class Webapp {

    private URLClassLoader loader;
    private Object registry;
    private final WeakReference<ClassLoader> collected;

    private Webapp(URLClassLoader loader, Object registry) {
        this.loader = loader;
        this.registry = registry;
        this.collected = new WeakReference<>(loader);
    }

    static Webapp deploy() throws Exception {
        List<URL> jars = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            String name = new File(entry).getName();
            if (name.startsWith("micrometer-") || name.startsWith("simpleclient") || name.startsWith("HdrHistogram")
                    || name.startsWith("LatencyUtils")) {
                jars.add(new File(entry).toURI().toURL());
            }
        }
        URLClassLoader loader = new URLClassLoader("webapp", jars.toArray(new URL[0]),
                ClassLoader.getPlatformClassLoader());
        Class<?> metrics = Class.forName("io.micrometer.core.instrument.Metrics", true, loader);
        Class<?> config = loader.loadClass("io.micrometer.prometheus.PrometheusConfig");
        Object registry = loader.loadClass("io.micrometer.prometheus.PrometheusMeterRegistry").getConstructor(config)
                .newInstance(config.getField("DEFAULT").get(null));
        Object registryConfig = registry.getClass().getMethod("config").invoke(registry);
        registryConfig.getClass().getMethod("commonTags", String[].class)
                .invoke(registryConfig, (Object) new String[] {"application", "webapp"});
        metrics.getMethod("addRegistry", loader.loadClass("io.micrometer.core.instrument.MeterRegistry"))
                .invoke(null, registry);
        return new Webapp(loader, registry);
    }

    synchronized String scrape() throws Exception {
        return registry == null ? "" : (String) registry.getClass().getMethod("scrape").invoke(registry);
    }

    /** Removes and closes the registry, closes the loader, and waits (10 s at most) for the loader to be collected. */
    synchronized String undeploy() throws Exception {
        if (registry != null) {
            Class<?> metrics = loader.loadClass("io.micrometer.core.instrument.Metrics");
            metrics.getMethod("removeRegistry", loader.loadClass("io.micrometer.core.instrument.MeterRegistry"))
                    .invoke(null, registry);
            registry.getClass().getMethod("close").invoke(registry);
            loader.close();
            registry = null;
            loader = null;
        }
        for (int i = 0; i < 100 && collected.get() != null; i++) {
            System.gc();
            Thread.sleep(100);
        }
        return "collected=" + (collected.get() == null) + "\n";
    }
}
