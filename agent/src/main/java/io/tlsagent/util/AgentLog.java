package io.tlsagent.util;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** The agent's own diagnostics: one line on stderr, each distinct message at most once. */
public final class AgentLog {

    private static final Set<String> SAID = ConcurrentHashMap.newKeySet();
    private static final int MAX_DISTINCT = 100;

    private AgentLog() {}

    public static void info(String message) {
        System.err.println("[tls-agent] " + message);
    }

    /** Says {@code message} the first time only; later calls with the same text are silent. */
    public static void once(String message) {
        if (SAID.size() < MAX_DISTINCT && SAID.add(message)) {
            System.err.println("[tls-agent] " + message);
        }
    }
}
