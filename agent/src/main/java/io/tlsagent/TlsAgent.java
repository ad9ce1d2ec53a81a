package io.tlsagent;

import io.tlsagent.config.AgentConfig;
import io.tlsagent.config.ConfigException;
import io.tlsagent.export.LateExporter;
import io.tlsagent.instrumentation.BootstrapInjector;
import io.tlsagent.runtime.AgentRuntime;
import io.tlsagent.runtime.StartGate;
import io.tlsagent.util.AgentLog;
import java.lang.instrument.Instrumentation;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Entry point for {@code -javaagent:tls-agent.jar[=key=value,...]} and for attaching to a running JVM
 * ({@code agentmain}; the argument {@code detach} undoes an attach). Whatever goes wrong here, the agent says so
 * once on stderr and the application runs as if it were absent.
 */
public final class TlsAgent {

    /** System property that tells the attach tool an agent is running in a JVM (and which version). */
    public static final String RUNNING_PROPERTY = "io.tlsagent.running";
    /** System property with the URL of the running agent's {@code /metrics} (absent without an endpoint). */
    public static final String METRICS_PROPERTY = "io.tlsagent.metrics";
    /** System property an attach leaves for the attach tool: the lines the agent said while it started. */
    public static final String ATTACH_OUTCOME_PROPERTY = "io.tlsagent.attach.outcome";
    public static final String DETACH = "detach";
    /** Opens the watch channel, starting the agent in watch-only mode if it does not run. */
    public static final String WATCH = "watch";
    /** Appended to the running property's value by a watch-only agent. */
    public static final String WATCH_ONLY = " (watch only)";

    /** Byte Buddy's settings the agent sets (a relocated prefix: no application uses it). */
    private static final String BYTE_BUDDY_PROPERTIES = "net.bytebuddy.";

    private static AgentRuntime running;
    /** Byte Buddy's properties that were set before the agent started: detach clears only the others. */
    private static java.util.Set<String> byteBuddyPropertiesBefore = java.util.Set.of();

    private TlsAgent() {}

    /**
     * Reads the configuration right here (a bad one is said before the application's first line, even in a program
     * that ends at once), then returns: the agent starts on a daemon thread, and the first use of TLS waits for its
     * hooks.
     */
    public static void premain(String args, Instrumentation inst) {
        try {
            AgentConfig config = config(args, System.getProperties());
            if (config != null && config.enabled()) {
                StartGate.startBehindGate(inst, gate -> start(config, inst, false, gate, null));
            }
        } catch (Throwable t) {
            AgentLog.info("could not start (" + t + "); the agent is off, the application is unaffected");
        }
    }

    /**
     * An attach ({@code attach}, {@code detach} or {@code watch} of the command-line tool). An attach starts in place
     * and leaves what the agent said meanwhile in {@link #ATTACH_OUTCOME_PROPERTY}, for the tool to show.
     */
    public static void agentmain(String args, Instrumentation inst) {
        if (DETACH.equals(args)) {
            detach();
        } else if (WATCH.equals(args)) {
            watch(inst);
        } else {
            List<String> said = AgentLog.collect(() -> attach(args, inst));
            System.setProperty(ATTACH_OUTCOME_PROPERTY, String.join("\n", said));
        }
    }

    private static void attach(String args, Instrumentation inst) {
        AgentConfig config = config(args, System.getProperties());
        if (config != null && !config.enabled()) {
            AgentLog.info("enabled=false; the agent is off");
        } else if (config != null) {
            start(config, inst, false, null, null);
        }
    }

    /** The configuration, or null when it is not valid: then said in one line (the agent stays off). */
    private static AgentConfig config(String args, Properties properties) {
        try {
            return AgentConfig.load(args, properties, System.getenv());
        } catch (ConfigException e) {
            AgentLog.info(e.getMessage() + "; the agent is off");
            return null;
        }
    }

    /**
     * Started by the OpenTelemetry Java agent, which loaded this jar as its extension ({@code
     * io.tlsagent.extension.OtelExtension}): the handshakes go to {@code otel}, that agent's exporters, and the
     * agent opens no port and writes no log unless {@code tlsagent.port} or {@code tlsagent.log} ask for them.
     */
    public static synchronized void startAsExtension(Instrumentation inst, LateExporter.Factory otel) {
        try {
            if (System.getProperty(RUNNING_PROPERTY) != null || running != null) {
                AgentLog.info("already running as -javaagent; the OpenTelemetry agent's extension does nothing"
                        + " (give tls-agent one way only)");
                return;
            }
            Properties properties = new Properties();
            properties.putAll(System.getProperties());
            Map<String, String> env = System.getenv();
            for (String[] d : new String[][] {{"port", "0"}, {"log", "off"}}) {
                if (!properties.containsKey("tlsagent." + d[0]) && !env.containsKey("TLSAGENT_" + d[0].toUpperCase())) {
                    properties.setProperty("tlsagent." + d[0], d[1]);
                }
            }
            AgentConfig config = config(null, properties);
            if (config == null || !config.enabled()) {
                return;
            }
            if (config.otlp() != null) {
                AgentLog.once("otlp_endpoint is ignored in the OpenTelemetry agent's extension: the handshakes go"
                        + " through that agent's exporters");
            }
            StartGate.startBehindGate(inst, gate -> start(config, inst, false, gate, otel));
        } catch (Throwable t) {
            AgentLog.info("could not start (" + t + "); the agent is off, the application is unaffected");
        }
    }

    private static synchronized void start(AgentConfig config, Instrumentation inst, boolean watchOnly,
            StartGate gate, LateExporter.Factory otel) {
        try {
            if (running != null) {
                AgentLog.info("already running; detach first to change its settings");
                return;
            }
            byteBuddyPropertiesBefore = byteBuddyProperties();
            // Before any class that names the bridge is loaded: see BootstrapInjector.
            BootstrapInjector.inject(inst);
            AgentRuntime[] self = new AgentRuntime[1];
            self[0] = AgentRuntime.start(config, inst, version(), watchOnly, () -> watchClosed(self[0]),
                    gate, otel);
            running = self[0];
            System.setProperty(RUNNING_PROPERTY, version() + (watchOnly ? WATCH_ONLY : ""));
            if (running.metricsUrl() != null) {
                System.setProperty(METRICS_PROPERTY, running.metricsUrl());
            }
        } catch (Throwable t) {
            AgentLog.info("could not start (" + t + "); the agent is off, the application is unaffected");
        }
    }

    /**
     * {@code watch}: opens the channel of the running agent, or starts one that exports nothing else (no endpoint,
     * no log, no JFR: no port or file the user did not ask for); that one detaches itself when the watch ends.
     */
    private static synchronized void watch(Instrumentation inst) {
        try {
            if (running == null) {
                AgentConfig config = config("port=0,log=off,jfr=false,metrics=agent", System.getProperties());
                if (config == null || !config.enabled()) {
                    return;
                }
                start(config, inst, true, null, null);
                if (running == null) {
                    return;
                }
            }
            if (!running.openWatch() && running.watchOnly()) {
                detach();
            }
        } catch (Throwable t) {
            AgentLog.info("could not open the watch channel (" + t + "); the application is unaffected");
        }
    }

    /** The watch channel closed by itself (its last client left): a watch-only agent goes away with it. */
    private static synchronized void watchClosed(AgentRuntime runtime) {
        // Unless a new watch opened the channel again meanwhile.
        if (runtime != null && running == runtime && runtime.watchOnly() && !runtime.watchOpen()) {
            detach();
        }
    }

    private static synchronized void detach() {
        try {
            if (running == null) {
                AgentLog.info("not running; nothing to detach");
                return;
            }
            running.stop();
        } catch (Throwable t) {
            AgentLog.info("could not detach cleanly (" + t + ")");
        } finally {
            running = null;
            System.clearProperty(RUNNING_PROPERTY);
            System.clearProperty(METRICS_PROPERTY);
            System.clearProperty(ATTACH_OUTCOME_PROPERTY);
            // The JVM's properties as before the agent (a watch-only agent must leave no trace).
            for (String name : byteBuddyProperties()) {
                if (!byteBuddyPropertiesBefore.contains(name)) {
                    System.clearProperty(name);
                }
            }
        }
    }

    private static java.util.Set<String> byteBuddyProperties() {
        java.util.Set<String> names = new java.util.HashSet<>();
        for (String name : System.getProperties().stringPropertyNames()) {
            if (name.startsWith(BYTE_BUDDY_PROPERTIES)) {
                names.add(name);
            }
        }
        return names;
    }

    public static String version() {
        String v = TlsAgent.class.getPackage().getImplementationVersion();
        if (v == null) {
            // The OpenTelemetry agent's extension loader defines the package without the manifest's attributes.
            try (java.io.InputStream in = TlsAgent.class.getResourceAsStream("version.properties")) {
                Properties p = new Properties();
                if (in != null) {
                    p.load(in);
                    v = p.getProperty("version");
                }
            } catch (java.io.IOException | RuntimeException e) {
                // "dev" below
            }
        }
        return v != null ? v : "dev";
    }
}
