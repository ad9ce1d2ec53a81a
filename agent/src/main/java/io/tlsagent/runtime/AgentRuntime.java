package io.tlsagent.runtime;

import io.tlsagent.anatomy.AnatomyAssembler;
import io.tlsagent.capture.Capture;
import io.tlsagent.capture.KeyMaterialCapture;
import io.tlsagent.capture.MicrometerCapture;
import io.tlsagent.config.AgentConfig;
import io.tlsagent.export.ExportPipeline;
import io.tlsagent.export.LateExporter;
import io.tlsagent.export.appmetrics.AppMetrics;
import io.tlsagent.export.jfr.Jfr;
import io.tlsagent.export.meters.HandshakeCounts;
import io.tlsagent.export.meters.LocalCertificates;
import io.tlsagent.instrumentation.MicrometerHooks;
import io.tlsagent.instrumentation.ProviderClasses;
import io.tlsagent.instrumentation.TlsInstrumentation;
import io.tlsagent.util.AgentErrors;
import io.tlsagent.util.AgentLog;
import io.tlsagent.util.HandshakeSpans;
import java.io.IOException;
import java.lang.instrument.Instrumentation;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The running agent, wired: the hooks ({@code instrumentation}) report through the bridge ({@code bootstrap}) to
 * the captures ({@code capture}), which hand each handshake's record to the export pipeline ({@code export}); and
 * how to undo it all.
 *
 * <p>The order is what keeps the start off the application's path. First, before the gate opens (and before an
 * attach returns): the captures, connected (whether SunJSSE is as the deep hooks expect is read from its class
 * files), and the hooks' transformer (so SunJSSE's classes are transformed as they load; only those already loaded
 * are retransformed, found by name). Then, on the agent's own thread: SunJSSE's classes are loaded and hooked
 * beside the application, ahead of its first handshake, and the exporters start ({@link Exporters}), while the
 * pipeline's queue holds the records made meanwhile and their counts are exact from the first one.
 */
public final class AgentRuntime {

    /**
     * Test hook: {@code -Dio.tlsagent.test.inject=exporter} adds an exporter that always throws, to prove that a
     * failure inside the agent is swallowed, counted, and leaves TLS and the other exporters untouched;
     * {@code export-thread}, one whose first call ends the export thread (a VirtualMachineError), to prove that it is
     * restarted and loses nothing; {@code hooks} makes installing the hooks fail.
     */
    static final String INJECT_FAILURE = "io.tlsagent.test.inject";
    /** How long JVM shutdown and detach wait for queued records to be exported and written. */
    private static final long FLUSH_MILLIS = 2000;
    /** How long a watch or a detach waits for the rest of the start after an attach (it takes well under 1 s). */
    private static final long START_MILLIS = 30_000;

    private final AgentErrors errors;
    private final ExportPipeline pipeline;
    /** Held here: registries hold the state of a function meter (its tracked gauge) weakly. */
    private final Capture capture;
    private final TlsInstrumentation hooks; // null when they could not be installed
    private final HandshakeSpans jfr; // null with jfr=false or without Flight Recorder
    private final AppMetrics appMetrics; // null unless metrics=app|both
    private final boolean watchOnly;
    private final Thread shutdownHook;
    private final CountDownLatch exportersStarted = new CountDownLatch(1);
    /** Set once, after the gate opened (see {@link #start}); read by the shutdown hook, watch and detach. */
    private volatile Exporters exporters;

    private AgentRuntime(AgentErrors errors, ExportPipeline pipeline, Capture capture, TlsInstrumentation hooks,
            HandshakeSpans jfr, AppMetrics appMetrics, boolean watchOnly) {
        this.errors = errors;
        this.pipeline = pipeline;
        this.capture = capture;
        this.hooks = hooks;
        this.jfr = jfr;
        this.appMetrics = appMetrics;
        this.watchOnly = watchOnly;
        this.shutdownHook = new Thread(this::flush, "tls-agent-shutdown");
    }

    /**
     * Starts the agent: returns once it has started (behind the gate, which opens as soon as handshakes are recorded).
     * {@code watchOnly}: started by {@code watch} for the watch channel alone (the caller's config then has no
     * endpoint, no log and no JFR); {@code onWatchClosed} runs when the channel closes by itself; {@code gate} (null
     * if none) is opened as soon as TLS is observed (see {@link StartGate}); {@code otel}: the exporter to
     * OpenTelemetry that the OpenTelemetry agent's extension brings (null: the OTLP push when {@code otlp_endpoint}
     * is set, else none), started with the other exporters.
     */
    public static AgentRuntime start(AgentConfig config, Instrumentation inst, String version, boolean watchOnly,
            Runnable onWatchClosed, StartGate gate, LateExporter.Factory otel) {
        AgentErrors errors = new AgentErrors();
        HandshakeCounts counts = new HandshakeCounts();
        // The anatomy is made on the export thread, from each record's raw capture, before any exporter sees it.
        AnatomyAssembler anatomy = new AnatomyAssembler(new AnatomyAssembler.Options(config.clientHello(),
                config.fingerprints(), config.expiringDays()));
        ExportPipeline pipeline = new ExportPipeline(counts, anatomy::complete, errors);
        LocalCertificates localCertificates = new LocalCertificates(config.expiringDays());
        AppMetrics appMetrics = config.metrics().app() ? new AppMetrics(counts, version,
                config.metrics().agentEndpoint(), config.certificateSeries(), localCertificates, errors) : null;
        if (appMetrics != null) {
            // Before the hooks: a copy of Micrometer that initialises from now on is reported to it.
            new MicrometerCapture(appMetrics::micrometerFound).start();
        }
        // The captures before the hooks, so that a hook that fires at once is heard (an attach beside handshakes).
        ProviderClasses providers = new ProviderClasses(inst, errors);
        boolean sunJsseDeep = Capture.sunJsseUsable();
        // Before the hooks, so that the first handshake has its event: registered only once Flight Recorder
        // initializes (at once with a recording from launch), so without a recording it costs a few ms here.
        HandshakeSpans jfr = config.jfr() ? jfrEvents(anatomy) : null;
        Capture capture = connectCapture(errors, pipeline, providers, sunJsseDeep, jfr);
        // Before the hooks too: a key store given to a KeyManagerFactory from now on is read.
        KeyMaterialCapture keyMaterial = new KeyMaterialCapture(localCertificates, config.trustStoreInventory(), errors);
        localCertificates.takePendingFrom(keyMaterial::summarize);
        keyMaterial.start();
        TlsInstrumentation hooks = installHooks(inst, errors, providers, appMetrics != null);
        if (appMetrics != null && hooks != null) {
            MicrometerHooks.alreadyInitialized(inst).forEach(appMetrics::micrometerFound);
        }
        AgentRuntime runtime = new AgentRuntime(errors, pipeline, capture, hooks, jfr, appMetrics, watchOnly);
        try {
            Runtime.getRuntime().addShutdownHook(runtime.shutdownHook);
        } catch (IllegalStateException shuttingDown) {
            // A short-lived application ended while the agent started (see StartGate): no handshake yet, say nothing.
            runtime.exportersStarted.countDown();
            return runtime;
        }
        LateExporter.Factory otelFactory = watchOnly ? null : otel != null ? otel
                : config.otlp() != null ? Exporters.otlpPush(config) : null;
        Runnable rest = () -> runtime.finishStart(config, version, counts, localCertificates, sunJsseDeep,
                otelFactory, otel != null, onWatchClosed);
        // Behind the gate (premain), on the agent's starting thread: open it, then the rest here (an HTTPS endpoint
        // loads SSLContext, which the gate holds back until now). An attach finishes in place too, so that the
        // attach tool can show what the agent said: where its metrics are, or why an exporter could not start.
        if (gate != null && gate.open()) {
            errors.report(String.format(StartGate.BOUND_FIRED, gate.boundMillis())); // said already: counted
        }
        rest.run();
        return runtime;
    }

    /**
     * After the hooks, off the application's path: SunJSSE's classes loaded and hooked beside the application, ahead
     * of its first handshake; then the exporters (their queue held the records made meanwhile), the JFR event last;
     * then the start line.
     */
    private void finishStart(AgentConfig config, String version, HandshakeCounts counts,
            LocalCertificates localCertificates, boolean sunJsseDeep, LateExporter.Factory otel, boolean otelAgent,
            Runnable onWatchClosed) {
        try {
            if (sunJsseDeep && hooks != null) {
                Capture.resolveSunJsse();
            }
            try {
                exporters = Exporters.start(config, version, errors, counts, pipeline, capture, localCertificates,
                        appMetrics, otel, onWatchClosed);
            } finally {
                exportersStarted.countDown();
            }
            AgentLog.info("tls-agent " + version + " started" + exporters.describe(config, otelAgent, jfr != null)
                    + (watchOnly ? " (watch only)" : ""));
        } catch (Throwable t) {
            AgentLog.info("could not start its exporters (" + t + "); handshakes are counted, not exported;"
                    + " the application is unaffected");
        } finally {
            exportersStarted.countDown(); // also when SunJSSE's reading failed
        }
    }

    /** The hooks, or null (said once, counted) when they cannot be installed: TLS then runs as without the agent. */
    private static TlsInstrumentation installHooks(Instrumentation inst, AgentErrors errors,
            ProviderClasses providers, boolean micrometer) {
        try {
            if ("hooks".equals(System.getProperty(INJECT_FAILURE))) {
                throw new IllegalStateException("failure injected by " + INJECT_FAILURE);
            }
            return TlsInstrumentation.install(inst, errors, providers, micrometer);
        } catch (Throwable t) {
            errors.report("could not install the hooks (" + t + "); TLS runs as without the agent and no handshake"
                    + " is recorded");
            return null;
        }
    }

    /**
     * The JFR events, or null (said once) when this JVM has no Flight Recorder or it cannot be used. The event is
     * committed on the handshake's thread, before the export thread made the record's anatomy: its JA3 and JA4 come
     * from {@code anatomy}'s fingerprints of the raw ClientHello, asked only while a recording takes the event.
     */
    private static HandshakeSpans jfrEvents(AnatomyAssembler anatomy) {
        try {
            HandshakeSpans jfr = Jfr.spans(anatomy::clientOffer);
            if (jfr == null) {
                AgentLog.once("JFR is not available in this JVM (no jdk.jfr module); no tlsagent.Handshake events");
            }
            return jfr;
        } catch (Throwable t) {
            AgentLog.once("JFR is not available (" + t + "); no tlsagent.Handshake events");
            return null;
        }
    }

    /** Connects the captures to the bridge: from now on handshakes are recorded. */
    private static Capture connectCapture(AgentErrors errors, ExportPipeline pipeline, ProviderClasses providers,
            boolean sunJsseDeep, HandshakeSpans jfr) {
        if (sunJsseDeep) {
            providers.sunJsseHookedDeeply();
        }
        Capture capture = new Capture(pipeline, jfr != null ? jfr : HandshakeSpans.NONE, errors, providers::created,
                sunJsseDeep);
        capture.start();
        return capture;
    }

    /** Where {@code /metrics} is served; null without an endpoint (or before the exporters started). */
    public String metricsUrl() {
        Exporters e = exporters;
        return e != null ? e.metricsUrl() : null;
    }

    public boolean watchOnly() {
        return watchOnly;
    }

    public boolean watchOpen() {
        Exporters e = exporters;
        return e != null && e.watch().isOpen();
    }

    /** Opens the watch channel (if it is not open), once the exporters are up; false, said once, when it cannot. */
    public boolean openWatch() {
        try {
            if (!awaitExporters(START_MILLIS) || exporters == null) {
                AgentLog.info("cannot open the watch channel: the agent has not started");
                return false;
            }
            exporters.watch().open();
            return true;
        } catch (IOException | RuntimeException e) {
            AgentLog.info("cannot open the watch channel: " + e.getMessage());
            return false;
        }
    }

    /**
     * JVM shutdown: write what is queued, within a bounded wait (which includes the rest of the start: records made
     * before the exporters were up wait for them); close the watch channel (its file goes).
     */
    private void flush() {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(FLUSH_MILLIS);
        awaitExporters(FLUSH_MILLIS);
        Exporters e = exporters;
        if (e != null) {
            e.watch().close();
        }
        pipeline.close(remainingMillis(deadline));
        if (e != null) {
            e.flush(remainingMillis(deadline));
        }
    }

    /** Whether the exporters' start has finished (started or failed) within {@code millis}. */
    private boolean awaitExporters(long millis) {
        try {
            return exportersStarted.await(millis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static long remainingMillis(long deadline) {
        return Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
    }

    /** Detach: restores the JDK's original bytecode, then stops the endpoint and the agent's threads. */
    public void stop() {
        awaitExporters(START_MILLIS); // a detach right after an attach: let its start finish first
        Capture.stop();
        KeyMaterialCapture.stop();
        MicrometerCapture.stop();
        if (hooks != null) {
            hooks.remove(errors);
        }
        if (jfr instanceof AutoCloseable) {
            try {
                ((AutoCloseable) jfr).close(); // unregisters the event
            } catch (Exception e) {
                AgentLog.once("could not unregister the JFR event: " + e);
            }
        }
        Exporters e = exporters;
        if (e != null) {
            e.watch().close();
        }
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shuttingDown) {
            return; // the hook runs anyway
        }
        flush();
        if (appMetrics != null) {
            appMetrics.close();
        }
        AgentLog.info("tls-agent detached");
    }
}
