package io.tlsagent;

import io.tlsagent.config.AgentConfig;
import io.tlsagent.config.ConfigException;
import io.tlsagent.hooks.BootstrapInjector;
import io.tlsagent.util.AgentLog;
import java.lang.instrument.Instrumentation;

/**
 * Entry point for {@code -javaagent:tls-agent.jar[=key=value,...]} and for attaching to a running JVM.
 * Whatever goes wrong here, the agent says so once on stderr and the application runs as if it were absent.
 */
public final class TlsAgent {

    private TlsAgent() {}

    public static void premain(String args, Instrumentation inst) {
        start(args, inst);
    }

    public static void agentmain(String args, Instrumentation inst) {
        start(args, inst);
    }

    private static synchronized void start(String args, Instrumentation inst) {
        try {
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
            AgentRuntime.start(config, inst, version());
        } catch (Throwable t) {
            AgentLog.info("could not start (" + t + "); the agent is off, the application is unaffected");
        }
    }

    static String version() {
        String v = TlsAgent.class.getPackage().getImplementationVersion();
        return v != null ? v : "dev";
    }
}
