package io.tlsagent.demo;

import java.lang.management.ManagementFactory;
import java.util.Locale;

/**
 * Whether the tls-agent is attached to this JVM and where its /metrics endpoint is, for the start-up text. Reads
 * what the agent reads: the -javaagent argument, then -Dtlsagent.*, then TLSAGENT_* (the README's precedence).
 */
final class AgentProbe {

    private AgentProbe() {}

    /** True when the agent's bridge class is in the bootstrap class loader, where the agent defines it. */
    static boolean attached() {
        try {
            Class.forName("io.tlsagent.bootstrap.PublicApiEvents", false, null);
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    /** E.g. "http://localhost:9464/metrics", or null when the endpoint is off (port 0). */
    static String metricsUrl() {
        String port = setting("port", "9464");
        String host = setting("host", "0.0.0.0");
        if (port.trim().equals("0")) {
            return null;
        }
        if (host.equals("0.0.0.0") || host.equals("::") || host.isEmpty()) {
            host = "localhost";
        } else if (host.contains(":")) {
            host = "[" + host + "]";
        }
        return "http://" + host + ":" + port.trim() + "/metrics";
    }

    /** Where the agent's JSON lines go, as the agent's {@code log} setting says: stdout, stderr, off, or a path. */
    static String log() {
        String log = setting("log", "stdout").trim();
        return log.startsWith("file:") ? log.substring(5) : log;
    }

    private static String setting(String key, String fallback) {
        String fromArgument = agentArgument(key);
        if (fromArgument != null) {
            return fromArgument;
        }
        String property = System.getProperty("tlsagent." + key);
        if (property != null) {
            return property;
        }
        String env = System.getenv("TLSAGENT_" + key.toUpperCase(Locale.ROOT));
        return env != null ? env : fallback;
    }

    private static String agentArgument(String key) {
        try {
            for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
                if (!arg.startsWith("-javaagent:") || !arg.contains("tls-agent")) {
                    continue;
                }
                int equals = arg.indexOf('=');
                if (equals < 0) {
                    return null;
                }
                for (String pair : arg.substring(equals + 1).split(",")) {
                    int eq = pair.indexOf('=');
                    if (eq > 0 && pair.substring(0, eq).trim().equals(key)) {
                        return pair.substring(eq + 1).trim();
                    }
                }
            }
        } catch (RuntimeException | LinkageError e) {
            // no management module: fall back to the other sources
        }
        return null;
    }
}
