package io.tlsagent.bootstrap;

/**
 * What the JDK's TLS code reports to the agent. Lives in the bootstrap class loader (see {@link TlsBridge}),
 * so its signatures use JDK types only; the SunJSSE internals are passed as plain objects and read by the agent.
 */
public interface TlsHooks {

    /** A handshake message was received ({@code HandshakeContext.dispatch}), before it is processed. */
    void inboundMessage(Object handshakeContext, byte type, long nanoTime);

    /** A handshake message is about to be written ({@code SSLHandshake.HandshakeMessage.write}). */
    void outboundMessage(Object handshakeMessage, Object handshakeOutStream, long nanoTime);

    /** {@code TransportContext.finishHandshake()} was entered: the handshake succeeded. */
    void handshakeFinished(Object transportContext, long nanoTime);

    /** {@code TransportContext.fatal(...)} was entered: the connection fails now. */
    void fatal(Object transportContext, Object alert, String diagnostic, boolean alertReceived, Throwable cause,
            long nanoTime);

    /** {@code SSLEngine.closeInbound()} was called by the application: its transport has ended. */
    void engineInboundClosed(Object engine, long nanoTime);
}
