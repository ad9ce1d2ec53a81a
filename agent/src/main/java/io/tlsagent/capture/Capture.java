package io.tlsagent.capture;

import io.tlsagent.bootstrap.TlsBridge;
import io.tlsagent.record.HandshakeRecord;
import io.tlsagent.util.AgentErrors;
import java.util.function.Consumer;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLSocket;

/**
 * What the hooks report, sent to the capture that follows it: SunJSSE's deep hooks, or the public-API ones. Each
 * capture hands every finished handshake's record to the sink, on the thread that finished it.
 */
public final class Capture extends TlsBridge {

    private final SunJsseCapture sunJsse; // null when this JDK's SunJSSE is not as expected
    private final PublicApiCapture publicApi;
    private final Consumer<Object> objectCreated;
    private final AgentErrors errors;

    /**
     * {@code sink}: where records go (it must never throw); {@code objectCreated}: told of each new engine or socket
     * (the instrumentation hooks the first of each class); {@code sunJsseDeep}: whether SunJSSE is hooked deeply
     * ({@link #sunJsseUsable()}).
     */
    public Capture(Consumer<HandshakeRecord> sink, AgentErrors errors, AnatomyAssembler anatomy,
            Consumer<Object> objectCreated, boolean sunJsseDeep) {
        this.sunJsse = sunJsseDeep ? new SunJsseCapture(sink, errors, anatomy) : null;
        this.publicApi = new PublicApiCapture(sink, errors);
        this.objectCreated = objectCreated;
        this.errors = errors;
    }

    /** Whether this JDK's SunJSSE is as the deep hooks need; if not, says so once (it is then observed like any provider). */
    public static boolean sunJsseUsable() {
        return SunJsseCapture.usable();
    }

    /** What the captures follow right now; everything is weakly held, so this falls back when objects die. */
    public double tracked() {
        return (sunJsse != null ? sunJsse.inFlightCount() : 0) + publicApi.trackedCount();
    }

    /** The agent's own HTTPS endpoint shakes hands too; those handshakes are not the application's. */
    private static boolean ours() {
        return Thread.currentThread().getName().startsWith("tls-agent-");
    }

    @Override
    public void tlsObjectCreated(Object engineOrSocket) {
        try {
            objectCreated.accept(engineOrSocket);
        } catch (Throwable t) {
            errors.record("hooking the class of " + engineOrSocket.getClass().getName(), t);
        }
    }

    @Override
    public void inboundMessage(Object handshakeContext, byte type, Object plaintext, long nanoTime) {
        if (sunJsse != null) {
            sunJsse.inboundMessage(handshakeContext, type, plaintext, nanoTime);
        }
    }

    @Override
    public void outboundMessage(Object handshakeMessage, Object handshakeOutStream, long nanoTime) {
        if (sunJsse != null) {
            sunJsse.outboundMessage(handshakeMessage, handshakeOutStream, nanoTime);
        }
    }

    @Override
    public void trustCheckStarted(Object handshakeContext, long nanoTime) {
        if (sunJsse != null) {
            sunJsse.trustCheckStarted(handshakeContext, nanoTime);
        }
    }

    @Override
    public void trustCheckEnded(Object handshakeContext, Throwable failure, long nanoTime) {
        if (sunJsse != null) {
            sunJsse.trustCheckEnded(handshakeContext, failure, nanoTime);
        }
    }

    @Override
    public void handshakeFinished(Object transportContext, long nanoTime) {
        if (sunJsse != null && !ours()) {
            sunJsse.handshakeFinished(transportContext, nanoTime);
        }
    }

    @Override
    public void fatal(Object transportContext, Object alert, String diagnostic, boolean alertReceived,
            Throwable cause, long nanoTime) {
        if (sunJsse != null && !ours()) {
            sunJsse.fatal(transportContext, alert, diagnostic, alertReceived, cause, nanoTime);
        }
    }

    @Override
    public void engineInboundClosed(Object engine, long nanoTime) {
        if (sunJsse != null) {
            sunJsse.engineInboundClosed(engine, nanoTime);
        }
    }

    @Override
    public void engineHandshakeStatus(SSLEngine engine, SSLEngineResult.HandshakeStatus status, long nanoTime) {
        publicApi.engineHandshakeStatus(engine, status, nanoTime);
    }

    @Override
    public void engineFailed(SSLEngine engine, Throwable failure, long nanoTime) {
        publicApi.engineFailed(engine, failure, nanoTime);
    }

    @Override
    public void socketHandshakeEntered() {
        publicApi.socketHandshakeEntered();
    }

    @Override
    public void socketHandshakeExited(SSLSocket socket, long startNanos, Throwable failure, long nanoTime) {
        publicApi.socketHandshakeExited(socket, startNanos, failure, nanoTime);
    }
}
