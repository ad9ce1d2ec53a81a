package io.tlsagent.util;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** The agent's own diagnostics: one line on stderr, each distinct message at most once. */
public final class AgentLog {

    private static final Set<String> SAID = ConcurrentHashMap.newKeySet();
    private static final int MAX_DISTINCT = 100;
    /** What this thread said, while {@link #collect} runs on it. */
    private static final ThreadLocal<List<String>> COLLECTED = new ThreadLocal<>();

    private AgentLog() {}

    public static void info(String message) {
        say("[tls-agent] " + message);
    }

    /** Says {@code message} the first time only; later calls with the same text are silent. */
    public static void once(String message) {
        if (SAID.size() < MAX_DISTINCT && SAID.add(message)) {
            say("[tls-agent] " + message);
        }
    }

    /** Runs {@code action} and returns the lines this thread said meanwhile (the attach tool shows them). */
    public static List<String> collect(Runnable action) {
        List<String> lines = new ArrayList<>();
        COLLECTED.set(lines);
        try {
            action.run();
        } finally {
            COLLECTED.remove();
        }
        return lines;
    }

    private static void say(String line) {
        System.err.println(line);
        List<String> collecting = COLLECTED.get();
        if (collecting != null) {
            collecting.add(line);
        }
    }
}
