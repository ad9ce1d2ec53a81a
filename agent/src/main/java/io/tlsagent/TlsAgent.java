package io.tlsagent;

import io.tlsagent.config.AgentConfig;
import io.tlsagent.config.ConfigException;
import io.tlsagent.export.LateExporter;
import io.tlsagent.instrumentation.BootstrapInjector;
import io.tlsagent.runtime.AgentRuntime;
import io.tlsagent.runtime.StartGate;
import io.tlsagent.util.AgentLog;
import java.lang.instrument.Instrumentation;
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

    /** Returns at once: the agent starts on a daemon thread, and the first use of TLS waits for its hooks. */
    public static void premain(String args, Instrumentation inst) {
        try {
            StartGate.startBehindGate(inst, gate -> start(args, inst, gate));
        } catch (Throwable t) {
            AgentLog.info("could not start (" + t + "); the agent is off, the application is unaffected");
        }
    }

    public static void agentmain(String args, Instrumentation inst) {
        if (DETACH.equals(args)) {
            detach();
        } else if (WATCH.equals(args)) {
            watch(inst);
        } else {
            start(args, inst, null);
        }
    }

    /** {@code gate}: opened once the hooks are in (null: no gate, as for an attach). */
    private static synchronized void start(String args, Instrumentation inst, StartGate gate) {
        try {
            if (running != null) {
                AgentLog.info("already running; detach first to change its settings");
                return;
            }
            start(args, inst, false, gate);
        } catch (Throwable t) {
            AgentLog.info("could not start (" + t + "); the agent is off, the application is unaffected");
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
            StartGate.startBehindGate(inst, gate -> {
                synchronized (TlsAgent.class) {
                    try {
                        start(null, properties, inst, false, gate, otel);
                    } catch (Throwable t) {
                        AgentLog.info("could not start (" + t + "); the agent is off, the application is"
                                + " unaffected");
                    }
                }
            });
        } catch (Throwable t) {
            AgentLog.info("could not start (" + t + "); the agent is off, the application is unaffected");
        }
    }

    private static void start(String args, Instrumentation inst, boolean watchOnly, StartGate gate)
            throws Exception {
        start(args, System.getProperties(), inst, watchOnly, gate, null);
    }

    private static void start(String args, Properties properties, Instrumentation inst, boolean watchOnly,
            StartGate gate, LateExporter.Factory otel) throws Exception {
        AgentConfig config;
        try {
            config = AgentConfig.load(args, properties, System.getenv());
        } catch (ConfigException e) {
            AgentLog.info(e.getMessage() + "; the agent is off");
            return;
        }
        if (!config.enabled()) {
            return;
        }
        if (otel != null && config.otlp() != null) {
            AgentLog.once("otlp_endpoint is ignored in the OpenTelemetry agent's extension: the handshakes go"
                    + " through that agent's exporters");
        }
        byteBuddyPropertiesBefore = byteBuddyProperties();
        // Before any class that names the bridge is loaded: see BootstrapInjector.
        BootstrapInjector.inject(inst);
        AgentRuntime[] self = new AgentRuntime[1];
        self[0] = AgentRuntime.start(config, inst, version(), watchOnly, () -> watchClosed(self[0]),
                gate, otel);
        running = self[0];
        System.setProperty(RUNNING_PROPERTY, version() + (watchOnly ? WATCH_ONLY : ""));
    }

    /**
     * {@code watch}: opens the channel of the running agent, or starts one that exports nothing else (no endpoint,
     * no log, no JFR: no port or file the user did not ask for); that one detaches itself when the watch ends.
     */
    private static synchronized void watch(Instrumentation inst) {
        try {
            if (running == null) {
                start("port=0,log=off,jfr=false,metrics=agent", inst, true, null);
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
