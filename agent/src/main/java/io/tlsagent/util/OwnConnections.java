package io.tlsagent.util;

/**
 * The TLS engines and sockets of the agent's own connections (its OTLP push to a Collector): their handshakes are
 * not the application's and are never recorded. The JDK's HTTP client shakes hands on threads of its own that the
 * agent cannot name, so its connections are known by their engine, marked when the agent's SSLContext makes it.
 * Weakly held and bounded: a connection that goes away leaves nothing behind.
 */
public final class OwnConnections {

    private static final WeakIdentityMap<Boolean> OWN = new WeakIdentityMap<>(1024);

    private OwnConnections() {}

    /** Marks an engine or socket as the agent's own; returns it. */
    public static <T> T mark(T engineOrSocket) {
        OWN.computeIfAbsent(engineOrSocket, () -> Boolean.TRUE);
        return engineOrSocket;
    }

    public static boolean contains(Object engineOrSocket) {
        return engineOrSocket != null && OWN.get(engineOrSocket) != null;
    }
}
