package io.tlsagent.capture;

import io.tlsagent.bootstrap.PublicApiEvents;
import io.tlsagent.bootstrap.SunJsseEvents;
import io.tlsagent.record.HandshakeRecord;
import io.tlsagent.util.AgentErrors;
import java.util.function.Consumer;

/**
 * The captures behind the bridge: SunJSSE's ({@link SunJsseCapture}, when its internals are as the deep hooks
 * expect) and the public API's ({@link PublicApiCapture}). Each follows what its hooks report and hands every
 * finished handshake's record to the sink, on the thread that finished it, with its raw capture: the anatomy is
 * made later, on the agent's export thread.
 */
public final class Capture {

    private final SunJsseCapture sunJsse; // null when this JDK's SunJSSE is not as expected
    private final PublicApiCapture publicApi;

    /**
     * {@code sink}: where records go (it must never throw); {@code objectCreated}: told of each new engine or socket
     * (the instrumentation hooks the first of each class); {@code sunJsseDeep}: whether SunJSSE is hooked deeply
     * ({@link #sunJsseUsable()}).
     */
    public Capture(Consumer<HandshakeRecord> sink, AgentErrors errors, Consumer<Object> objectCreated,
            boolean sunJsseDeep) {
        this.sunJsse = sunJsseDeep ? new SunJsseCapture(sink, errors) : null;
        this.publicApi = new PublicApiCapture(sink, errors, objectCreated);
    }

    /** Whether this JDK's SunJSSE is as the deep hooks need; if not, says so once (it is then observed like any provider). */
    public static boolean sunJsseUsable() {
        return SunJsseCapture.usable();
    }

    /** Connects the captures to the bridge: from now on the hooks report to them. */
    public void start() {
        SunJsseEvents.current = sunJsse;
        PublicApiEvents.current = publicApi;
    }

    /** Disconnects them: the hooks that remain (until the transformer is reset) do nothing. */
    public static void stop() {
        SunJsseEvents.current = null;
        PublicApiEvents.current = null;
    }

    /** What the captures follow right now; everything is weakly held, so this falls back when objects die. */
    public double tracked() {
        return (sunJsse != null ? sunJsse.inFlightCount() : 0) + publicApi.trackedCount();
    }
}
