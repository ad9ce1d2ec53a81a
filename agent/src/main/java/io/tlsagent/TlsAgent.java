package io.tlsagent;

import io.tlsagent.config.AgentConfig;
import io.tlsagent.config.ConfigException;
import io.tlsagent.hooks.BootstrapInjector;
import io.tlsagent.util.AgentLog;
import java.lang.instrument.Instrumentation;

/**
 * Entry point for {@code -javaagent:tls-agent.jar[=key=value,...]} and for attaching to a running JVM
 * ({@code agentmain}; the argument {@code detach} undoes an attach). Whatever goes wrong here, the agent says so
 * once on stderr and the application runs as if it were absent.
 */
public final class TlsAgent {

    /** System property that tells the attach tool an agent is running in a JVM (and which version). */
    static final String RUNNING_PROPERTY = "io.tlsagent.running";
    static final String DETACH = "detach";

    private static AgentRuntime running;

    private TlsAgent() {}

    public static void premain(String args, Instrumentation inst) {
        start(args, inst);
    }

    public static void agentmain(String args, Instrumentation inst) {
        if (DETACH.equals(args)) {
            detach();
        } else {
            start(args, inst);
        }
    }

    private static synchronized void start(String args, Instrumentation inst) {
        try {
            if (running != null) {
                AgentLog.info("already running; detach first to change its settings");
                return;
            }
            AgentConfig config;
            try {
                config = AgentConfig.load(args, System.getProperties(), System.getenv());
            } catch (ConfigException e) {
                AgentLog.info(e.getMessage() + "; the agent is off");
                return;
            }
            if (!config.enabled()) {
                return;
            }
            // Before any class that names the bridge is loaded: see BootstrapInjector.
            BootstrapInjector.inject(inst);
            running = AgentRuntime.start(config, inst, version());
            System.setProperty(RUNNING_PROPERTY, version());
        } catch (Throwable t) {
            AgentLog.info("could not start (" + t + "); the agent is off, the application is unaffected");
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
        }
    }

    static String version() {
        String v = TlsAgent.class.getPackage().getImplementationVersion();
        return v != null ? v : "dev";
    }
}
