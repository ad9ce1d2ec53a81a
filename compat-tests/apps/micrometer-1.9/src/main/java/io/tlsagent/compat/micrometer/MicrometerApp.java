package io.tlsagent.compat.micrometer;

import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.prometheus.PrometheusConfig;
import io.micrometer.prometheus.PrometheusMeterRegistry;
import java.nio.file.Paths;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * An application that wires Micrometer by hand, as applications without a framework do: its own
 * {@code PrometheusMeterRegistry} with a common tag, added to the global registry, scraped at {@code /metrics}.
 * Beside it, as applications also have: a second registry whose MeterFilter denies {@code tls.*} ({@code /denied}),
 * and a web application with its own copy of Micrometer in a class loader of its own ({@link Webapp}: {@code /webapp}
 * scrapes it, {@code /undeploy} undeploys it and says whether its class loader was collected).
 * {@code MicrometerApp DIR}
 */
public final class MicrometerApp {

    public static void main(String[] args) throws Exception {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        registry.config().commonTags("application", "plain-app");
        Metrics.addRegistry(registry);
        Metrics.counter("app.started").increment();

        PrometheusMeterRegistry denying = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        denying.config().meterFilter(MeterFilter.denyNameStartsWith("tls."));
        Metrics.addRegistry(denying);

        Webapp webapp = Webapp.deploy();
        Map<String, Callable<String>> pages = new LinkedHashMap<>();
        pages.put("metrics", registry::scrape);
        pages.put("denied", denying::scrape);
        pages.put("webapp", webapp::scrape);
        pages.put("undeploy", webapp::undeploy);
        HttpsApp.serve(Paths.get(args[0]), pages);
    }
}
