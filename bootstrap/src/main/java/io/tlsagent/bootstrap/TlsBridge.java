package io.tlsagent.bootstrap;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLSocket;

/**
 * What the TLS code the agent hooks reports to the agent: the only agent type that advice inlined into the JDK (and
 * into other TLS libraries) calls. The agent defines this class in the bootstrap class loader before it instruments
 * anything, so every class loader sees the same one; this module has no dependencies, so the compiler keeps it to
 * JDK types.
 *
 * <p>Advice reads {@link #current} and calls it when it is set: {@code TlsBridge b = TlsBridge.current; if (b != null)
 * b.handshakeFinished(this, System.nanoTime());}. Before the agent starts and after it detaches it is null, and the
 * hooks cost that read. Implementations never throw (and advice suppresses every Throwable anyway). SunJSSE's
 * internal objects are passed as plain objects; the agent reads them.
 */
public abstract class TlsBridge {

    /** The running agent's implementation, or null. */
    public static volatile TlsBridge current;

    protected TlsBridge() {}

    // SunJSSE (sun.security.ssl), hooked deeply

    /** {@code HandshakeContext.dispatch(byte, Plaintext)}: a handshake message was received, before it is processed. */
    public abstract void inboundMessage(Object handshakeContext, byte type, Object plaintext, long nanoTime);

    /** {@code SSLHandshake.HandshakeMessage.write(HandshakeOutStream)}: a handshake message is about to be written. */
    public abstract void outboundMessage(Object handshakeMessage, Object handshakeOutStream, long nanoTime);

    /** {@code TransportContext.finishHandshake()} was entered: the handshake succeeded. */
    public abstract void handshakeFinished(Object transportContext, long nanoTime);

    /** {@code TransportContext.fatal(Alert, String, boolean, Throwable)} was entered: the connection fails now. */
    public abstract void fatal(Object transportContext, Object alert, String diagnostic, boolean alertReceived,
            Throwable cause, long nanoTime);

    /** SunJSSE is about to ask a trust manager about the peer's chain ({@code CertificateMessage.check*Certs}). */
    public abstract void trustCheckStarted(Object handshakeContext, long nanoTime);

    /** The trust manager answered: {@code failure} is null if it accepted the chain. */
    public abstract void trustCheckEnded(Object handshakeContext, Throwable failure, long nanoTime);

    /** {@code SSLEngineImpl.closeInbound()} was called by the application: its transport has ended. */
    public abstract void engineInboundClosed(Object engine, long nanoTime);

    // Every implementation, through the public JSSE API

    /** An {@code SSLEngine} or {@code SSLSocket} was constructed: the first of its class gets that class hooked. */
    public abstract void tlsObjectCreated(Object engineOrSocket);

    /** A hooked engine's wrap/unwrap returned while handshaking (a status other than NOT_HANDSHAKING). */
    public abstract void engineHandshakeStatus(SSLEngine engine, SSLEngineResult.HandshakeStatus status,
            long nanoTime);

    /** A hooked engine's wrap/unwrap threw. */
    public abstract void engineFailed(SSLEngine engine, Throwable failure, long nanoTime);

    /** A hooked socket's {@code startHandshake()} begins on this thread. */
    public abstract void socketHandshakeEntered();

    /** A hooked socket's {@code startHandshake()} returned ({@code failure} null) or threw. */
    public abstract void socketHandshakeExited(SSLSocket socket, long startNanos, Throwable failure, long nanoTime);
}
