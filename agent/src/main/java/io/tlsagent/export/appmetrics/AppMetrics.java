package io.tlsagent.export.appmetrics;

import io.tlsagent.bootstrap.MicrometerEvents;
import io.tlsagent.export.Exporter;
import io.tlsagent.export.meters.FunctionMeter;
import io.tlsagent.export.meters.HandshakeCounts;
import io.tlsagent.export.meters.LabelValues;
import io.tlsagent.export.meters.RecordedMeters;
import io.tlsagent.export.meters.TlsMeters;
import io.tlsagent.export.meters.LocalCertificates;
import io.tlsagent.export.prometheus.CertificateExpiry;
import io.tlsagent.export.prometheus.LocalCertificateMeters;
import io.tlsagent.record.CertificateStatus;
import io.tlsagent.record.KeyMaterialSource;
import io.tlsagent.record.HandshakeRecord;
import io.tlsagent.util.AgentErrors;
import io.tlsagent.util.AgentLog;
import java.lang.ref.WeakReference;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * The agent's meters in the application's own Micrometer registries (metrics=app|both), with the same names and
 * tags as on the agent's endpoint: {@link TlsMeters#HANDSHAKES} as function counters over the exact counts
 * ({@link HandshakeCounts}), the histograms and anatomy counters recorded here on the export thread, the certificate
 * gauges and the agent's own health. Every copy of Micrometer in the JVM (one per web application, say) gets them,
 * at most {@value #MAX_COPIES}.
 *
 * <p>Nothing here runs on a handshake's thread but noting a new label set; the hook on Micrometer only notes its
 * class. Each copy's {@link MicrometerEvents.Adapter} is held by a ClassValue of that copy's {@code Metrics} class and
 * weakly here, so undeploying an application leaks neither its registries nor its class loader.
 */
public final class AppMetrics implements Exporter {

    static final int MAX_COPIES = 16;
    /** How long after the start, with handshakes counted, before "no Micrometer" is said. */
    private static final long QUIET_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final HandshakeCounts counts;
    private final String version;
    private final boolean agentEndpoint;
    private final AgentErrors errors;
    private final LabelValues labels = new LabelValues();
    private final Gauges gauges = new Gauges();
    private final CertificateExpiry certificates;
    private final LocalCertificates localCertificates;
    private final LocalCertificateMeters local;
    private final long started = System.nanoTime();

    /** Noted from any thread (the hook, the start), taken by the export thread. */
    private final Queue<WeakReference<Class<?>>> found = new ConcurrentLinkedQueue<>();
    private final AtomicInteger foundCount = new AtomicInteger();
    private final Queue<Series> newSeries = new ConcurrentLinkedQueue<>();
    private volatile List<FunctionMeter<?>> health = List.of();

    // The export thread's own.
    private final List<Series> series = new ArrayList<>();
    private final List<WeakReference<MicrometerEvents.Adapter>> adapters = new ArrayList<>();
    private AdapterLoader loader;
    private boolean absenceSaid;
    private final ClassValue<MicrometerEvents.Adapter> perCopy = new ClassValue<MicrometerEvents.Adapter>() {
        @Override
        protected MicrometerEvents.Adapter computeValue(Class<?> metrics) {
            try {
                return loader().define(metrics, TlsMeters.bucketNanos());
            } catch (ReflectiveOperationException | java.io.IOException e) {
                throw new IllegalStateException(e);
            }
        }
    };

    /** {@code agentEndpoint}: the agent serves its own endpoint too (metrics=both), which is where metrics fall back. */
    public AppMetrics(HandshakeCounts counts, String version, boolean agentEndpoint, int certificateSeries,
            LocalCertificates localCertificates, AgentErrors errors) {
        this.counts = counts;
        this.version = version;
        this.agentEndpoint = agentEndpoint;
        this.errors = errors;
        this.certificates = new CertificateExpiry(gauges, certificateSeries);
        this.localCertificates = localCertificates;
        this.local = new LocalCertificateMeters(gauges, (source, status, tags) -> each(a -> localStatusIn(a, source,
                status)), localCertificates);
        counts.bind((labelValues, count) -> newSeries.offer(new Series(labelValues, count)));
    }

    /** The agent's health meters ({@link TlsMeters#AGENT_ERRORS}, ...), set once before anything is found. */
    public void health(List<FunctionMeter<?>> meters) {
        health = List.copyOf(meters);
    }

    /** A copy of Micrometer's {@code Metrics} class: noted (any thread), bound on the export thread. */
    public void micrometerFound(Class<?> metrics) {
        if (foundCount.incrementAndGet() <= 4 * MAX_COPIES) {
            found.offer(new WeakReference<>(metrics));
        }
    }

    @Override
    public void export(HandshakeRecord r) {
        takeFound(); // a copy found since the last tick records this handshake already
        takeNewSeries();
        certificates.export(r);
        if (!adapters.isEmpty()) {
            RecordedMeters.feed(r, labels, recorder);
        }
    }

    private final RecordedMeters recorder = new RecordedMeters() {
        @Override
        public void record(TlsMeters histogram, long nanos, String... labelValues) {
            String[] tags = histogram.tags(List.of(labelValues));
            each(a -> a.record(histogram.meterName(), histogram.description(), tags, nanos));
        }

        @Override
        public void increment(TlsMeters counter, String... labelValues) {
            String[] tags = counter.tags(List.of(labelValues));
            each(a -> a.increment(counter.meterName(), counter.description(), tags));
        }
    };

    /**
     * The certificate gauges, in every copy, and kept here for copies bound later (as many as
     * {@link CertificateExpiry} keeps); the handle is the tags.
     */
    private final class Gauges implements CertificateExpiry.Gauges {
        final Map<List<String>, Double> current = new HashMap<>();

        @Override
        public Object register(String[] tags, double notAfter) {
            current.put(List.of(tags), notAfter);
            each(a -> registerIn(a, tags, notAfter));
            return tags;
        }

        void registerIn(MicrometerEvents.Adapter a, String[] tags, Double notAfter) {
            a.gauge(TlsMeters.CERTIFICATE_EXPIRY.meterName(), TlsMeters.CERTIFICATE_EXPIRY.description(), "seconds",
                    tags, notAfter, Double::doubleValue);
        }

        @Override
        public void remove(Object gauge) {
            current.remove(List.of((String[]) gauge));
            each(a -> a.remove(TlsMeters.CERTIFICATE_EXPIRY.meterName(), (String[]) gauge));
        }
    }

    @Override
    public void tick() {
        takeFound();
        takeNewSeries();
        local.sync();
        int registries = 0;
        for (Iterator<WeakReference<MicrometerEvents.Adapter>> it = adapters.iterator(); it.hasNext(); ) {
            MicrometerEvents.Adapter a = it.next().get();
            if (a == null || !call(a, () -> {
                for (String line : a.refresh()) {
                    AgentLog.once(line);
                }
            })) {
                it.remove(); // its application is gone (or its Micrometer cannot take our meters)
            } else {
                registries += a.registries();
            }
        }
        if (registries == 0) {
            sayIfStillAbsent();
        }
    }

    private void takeFound() {
        for (WeakReference<Class<?>> ref = found.poll(); ref != null; ref = found.poll()) {
            Class<?> metrics = ref.get();
            if (metrics != null) {
                bind(metrics);
            }
        }
    }

    private void bind(Class<?> metrics) {
        MicrometerEvents.Adapter a;
        try {
            a = perCopy.get(metrics);
        } catch (LinkageError | RuntimeException e) {
            incompatible(describe(metrics), e instanceof IllegalStateException && e.getCause() != null ? e.getCause()
                    : e);
            return;
        }
        for (WeakReference<MicrometerEvents.Adapter> bound : adapters) {
            if (bound.get() == a) {
                return; // found twice (the hook and the scan of loaded classes)
            }
        }
        if (adapters.size() >= MAX_COPIES) {
            AgentLog.once("more than " + MAX_COPIES + " copies of Micrometer in this JVM: the later ones get no TLS"
                    + " meters");
            return;
        }
        boolean ok = call(a, () -> {
            for (Series s : series) {
                s.registerIn(a);
            }
            a.gauge(TlsMeters.AGENT_INFO.meterName(), TlsMeters.AGENT_INFO.description(), null,
                    TlsMeters.AGENT_INFO.tags(List.of(version, System.getProperty("java.version", "unknown"))),
                    this, self -> 1);
            for (FunctionMeter<?> m : health) {
                register(a, m);
            }
            gauges.current.forEach((tags, notAfter) -> gauges.registerIn(a, tags.toArray(new String[0]), notAfter));
            for (KeyMaterialSource source : local.sources()) {
                for (CertificateStatus status : CertificateStatus.values()) {
                    localStatusIn(a, source, status);
                }
            }
            for (String line : a.refresh()) {
                AgentLog.once(line);
            }
        });
        if (ok) {
            adapters.add(new WeakReference<>(a));
        }
    }

    /** The status gauge of this JVM's certificates of {@code source}, judged at each scrape. */
    private void localStatusIn(MicrometerEvents.Adapter a, KeyMaterialSource source, CertificateStatus status) {
        a.gauge(TlsMeters.LOCAL_CERTIFICATES.meterName(), TlsMeters.LOCAL_CERTIFICATES.description(), null,
                LocalCertificateMeters.tags(source, status), localCertificates,
                c -> c.count(source, status, Instant.now()));
    }

    private AdapterLoader loader() throws java.io.IOException {
        if (loader == null) {
            loader = AdapterLoader.fromAgentJar();
        }
        return loader;
    }

    /** Which Micrometer: its version and jar, as far as they are known. */
    private static String describe(Class<?> metrics) {
        Package p = metrics.getPackage();
        String version = p != null ? p.getImplementationVersion() : null;
        java.security.CodeSource source = metrics.getProtectionDomain().getCodeSource();
        return (version != null ? " " + version : "") + (source != null ? " from " + source.getLocation() : "");
    }

    private static <T> void register(MicrometerEvents.Adapter a, FunctionMeter<T> m) {
        String name = m.meter().meterName();
        if (m.isCounter()) {
            a.functionCounter(name, m.meter().description(), new String[0], m.state(), m.value());
        } else {
            a.gauge(name, m.meter().description(), null, new String[0], m.state(), m.value());
        }
    }

    private void takeNewSeries() {
        for (Series s = newSeries.poll(); s != null; s = newSeries.poll()) {
            series.add(s);
            Series added = s;
            each(a -> added.registerIn(a));
        }
    }

    /** Calls every live adapter; one that fails is dropped. */
    private void each(Consumer<MicrometerEvents.Adapter> action) {
        for (Iterator<WeakReference<MicrometerEvents.Adapter>> it = adapters.iterator(); it.hasNext(); ) {
            MicrometerEvents.Adapter a = it.next().get();
            if (a == null || !call(a, () -> action.accept(a))) {
                it.remove();
            }
        }
    }

    /**
     * Runs a call into the application's Micrometer. A LinkageError means that copy lacks the API the adapter was
     * compiled against: said once, the copy is dropped. Anything else is counted as the agent's error.
     */
    private boolean call(MicrometerEvents.Adapter a, Runnable call) {
        try {
            call.run();
            return true;
        } catch (LinkageError e) {
            incompatible("", e);
            return false;
        } catch (Throwable t) {
            errors.record("the application's Micrometer", t);
            return true;
        }
    }

    private void incompatible(String which, Throwable why) {
        AgentLog.once("the application's Micrometer" + which + " cannot take the agent's meters (" + why + "); "
                + (agentEndpoint ? "they are on the agent's endpoint" : "metrics=both would serve them on the agent's"
                        + " port"));
    }

    /**
     * metrics=app|both, and 10 s after the start, with handshakes counted, no registry has the meters yet: said once
     * (a registry that appears later still gets them).
     */
    private void sayIfStillAbsent() {
        if (absenceSaid || System.nanoTime() - started < QUIET_NANOS || counts.total() == 0) {
            return;
        }
        absenceSaid = true;
        String where = agentEndpoint ? "they are on the agent's endpoint only"
                : "they are nowhere until it does (metrics=both also serves them on the agent's port)";
        AgentLog.info(foundCount.get() == 0
                ? "metrics=" + (agentEndpoint ? "both" : "app") + ": this application has not loaded Micrometer, so"
                        + " no registry of its has the TLS metrics; " + where
                : "metrics=" + (agentEndpoint ? "both" : "app") + ": the application's Micrometer has no registry in"
                        + " Metrics.globalRegistry yet (Spring Boot adds its own there), so none has the TLS"
                        + " metrics; " + where);
    }

    /** Detach: the meters leave the application's registries. */
    public void close() {
        each(MicrometerEvents.Adapter::close);
        adapters.clear();
    }

    /** One label set of {@link TlsMeters#HANDSHAKES} and its exact count. */
    private static final class Series {
        final String[] tags;
        final LongAdder count;

        Series(List<String> labelValues, LongAdder count) {
            this.tags = TlsMeters.HANDSHAKES.tags(labelValues);
            this.count = count;
        }

        void registerIn(MicrometerEvents.Adapter a) {
            a.functionCounter(TlsMeters.HANDSHAKES.meterName(), TlsMeters.HANDSHAKES.description(), tags, count,
                    LongAdder::sum);
        }
    }
}
