package io.tlsagent.export.otel;

import io.tlsagent.util.AgentLog;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * The bundled SDK logs through java.util.logging, a stack trace per failed export and warnings without limit when
 * a Collector is down. Its loggers are under the relocated package, so one parent logger takes them all off the
 * application's handlers: warnings and worse are said once per logger, like the agent's own diagnostics; what the
 * exporters and the metric reader say about failed pushes is left to {@link OtlpOutcomes}, which says it once per
 * kind of problem.
 */
final class OtlpSdkLogging {

    /** The SDK's package as relocated into the agent (a literal the shade plugin leaves alone). */
    static final String SDK_LOGGERS = "io.tlsagent.shaded.otel";
    /** java.util.logging holds loggers weakly: this one must live as long as the agent. */
    private static final Logger ROOT = Logger.getLogger(SDK_LOGGERS);
    private static final Set<String> SAID = ConcurrentHashMap.newKeySet();

    private OtlpSdkLogging() {}

    static synchronized void quiet() {
        if (ROOT.getUseParentHandlers()) {
            ROOT.setUseParentHandlers(false);
            ROOT.setLevel(Level.WARNING);
            ROOT.addHandler(new OnceHandler());
        }
    }

    private static final class OnceHandler extends Handler {
        @Override
        public void publish(LogRecord r) {
            String logger = r.getLoggerName() != null ? r.getLoggerName() : "";
            String source = logger.substring(logger.lastIndexOf('.') + 1);
            if (source.equals("HttpExporter") || source.equals("PeriodicMetricReader")
                    || source.equals("ThrottlingLogger") || !SAID.add(source)) {
                return;
            }
            String message = r.getMessage();
            if (r.getThrown() != null) {
                message = message + " (" + r.getThrown() + ")";
            }
            AgentLog.info("OpenTelemetry SDK (" + source + "): " + message + "; further messages of its " + source
                    + " are not shown");
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    }
}
