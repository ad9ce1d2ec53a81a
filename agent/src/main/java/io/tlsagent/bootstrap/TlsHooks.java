package io.tlsagent.bootstrap;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLSocket;

/**
 * What the JDK's TLS code reports to the agent. Lives in the bootstrap class loader (see {@link TlsBridge}),
 * so its signatures use JDK types only; the SunJSSE internals are passed as plain objects and read by the agent.
 */
public interface TlsHooks {

    /** A handshake message was received ({@code HandshakeContext.dispatch}), before it is processed. */
    void inboundMessage(Object handshakeContext, byte type, Object plaintext, long nanoTime);

    /** A handshake message is about to be written ({@code SSLHandshake.HandshakeMessage.write}). */
    void outboundMessage(Object handshakeMessage, Object handshakeOutStream, long nanoTime);

    /** {@code TransportContext.finishHandshake()} was entered: the handshake succeeded. */
    void handshakeFinished(Object transportContext, long nanoTime);

    /** {@code TransportContext.fatal(...)} was entered: the connection fails now. */
    void fatal(Object transportContext, Object alert, String diagnostic, boolean alertReceived, Throwable cause,
            long nanoTime);

    /** SunJSSE is about to ask a trust manager about the peer's chain ({@code CertificateMessage.check*Certs}). */
    void trustCheckStarted(Object handshakeContext, long nanoTime);

    /** The trust manager answered: {@code failure} is null if it accepted the chain. */
    void trustCheckEnded(Object handshakeContext, Throwable failure, long nanoTime);

    /** {@code SSLEngine.closeInbound()} was called by the application: its transport has ended. */
    void engineInboundClosed(Object engine, long nanoTime);

    /** An {@code SSLEngine} or {@code SSLSocket} was constructed: the first of its class gets that class hooked. */
    void tlsObjectCreated(Object engineOrSocket);

    /** Another provider's engine returned from wrap/unwrap while handshaking (any status but NOT_HANDSHAKING). */
    void engineHandshakeStatus(SSLEngine engine, SSLEngineResult.HandshakeStatus status, long nanoTime);

    /** Another provider's engine threw from wrap/unwrap. */
    void engineFailed(SSLEngine engine, Throwable failure, long nanoTime);

    /** Another provider's socket returned from (failure null) or threw out of startHandshake(). */
    void socketHandshake(SSLSocket socket, long startNanos, Throwable failure, long nanoTime);
}
