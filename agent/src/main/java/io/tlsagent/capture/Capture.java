package io.tlsagent.capture;

import io.tlsagent.bootstrap.ConnectionEvents;
import io.tlsagent.bootstrap.PublicApiEvents;
import io.tlsagent.bootstrap.SunJsseEvents;
import io.tlsagent.record.HandshakeRecord;
import io.tlsagent.util.AgentErrors;
import io.tlsagent.util.HandshakeSpans;
import java.util.function.Consumer;

/**
 * The captures behind the bridge: SunJSSE's ({@link SunJsseCapture}, when its internals are as the deep hooks
 * expect), the public API's ({@link PublicApiCapture}), and the libraries' pairing of engines with connections
 * ({@link ConnectionCapture}), which the other two consult for an engine's connection. Each handshake's span (the
 * JFR event) and record go out on the thread that finished it; the record with its raw capture only: the anatomy is
 * made later, on the agent's export thread.
 */
public final class Capture {

    private final SunJsseCapture sunJsse; // null when this JDK's SunJSSE is not as expected
    private final PublicApiCapture publicApi;
    private final ConnectionBindings bindings = new ConnectionBindings();
    private final ConnectionCapture connections;

    /**
     * {@code sink}: where records go (it must never throw); {@code spans}: what times each handshake on its own
     * threads (the JFR event); {@code objectCreated}: told of each new engine or socket (the instrumentation hooks
     * the first of each class); {@code sunJsseDeep}: whether SunJSSE is hooked deeply ({@link #sunJsseUsable()}).
     */
    public Capture(Consumer<HandshakeRecord> sink, HandshakeSpans spans, AgentErrors errors,
            Consumer<Object> objectCreated, boolean sunJsseDeep) {
        HandshakeOutput output = new HandshakeOutput(sink, spans, errors);
        this.sunJsse = sunJsseDeep ? new SunJsseCapture(output, errors, bindings) : null;
        this.publicApi = new PublicApiCapture(output, errors, objectCreated, bindings);
        this.connections = new ConnectionCapture(bindings, errors);
    }

    /**
     * Whether this JDK's SunJSSE is as the deep hooks need; if not, says so once (it is then observed like any
     * provider). Read from its class files: loads no class.
     */
    public static boolean sunJsseUsable() {
        return SunJsseCapture.usable();
    }

    /**
     * Reads SunJSSE's internals now (resolving the handles loads its classes, which the hooks then transform as they
     * load), so that the first handshake need not: call after the hooks are installed, off the application's path.
     */
    public static void resolveSunJsse() {
        SunJsse.resolve();
    }

    /** Connects the captures to the bridge: from now on the hooks report to them. */
    public void start() {
        SunJsseEvents.current = sunJsse;
        PublicApiEvents.current = publicApi;
        ConnectionEvents.current = connections;
    }

    /** Disconnects them: the hooks that remain (until the transformer is reset) do nothing. */
    public static void stop() {
        SunJsseEvents.current = null;
        PublicApiEvents.current = null;
        ConnectionEvents.current = null;
    }

    /** Handshakes of other engines whose plaintext records were not all read, since the start. */
    public double wireUnread() {
        return publicApi.wireUnread();
    }

    /** What the captures follow right now; everything is weakly held, so this falls back when objects die. */
    public double tracked() {
        return (sunJsse != null ? sunJsse.inFlightCount() : 0) + publicApi.trackedCount() + bindings.size();
    }
}
