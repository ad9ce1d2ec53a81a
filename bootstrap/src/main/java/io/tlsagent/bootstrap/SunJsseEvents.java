package io.tlsagent.bootstrap;

/**
 * What SunJSSE, the JDK's own TLS implementation, reports to the agent through the advice inlined into
 * {@code sun.security.ssl}. The agent defines this class in the bootstrap class loader before it instruments
 * anything, so the JDK's code sees it; this module has no dependencies, so the compiler keeps it to JDK types.
 *
 * <p>Advice reads {@link #current} and calls it when it is set: {@code SunJsseEvents e = SunJsseEvents.current; if
 * (e != null) e.handshakeFinished(this, System.nanoTime());}. Before the agent starts and after it detaches it is
 * null, and the hooks cost that read. Implementations never throw (and advice suppresses every Throwable anyway).
 * SunJSSE's internal objects are passed as plain objects; the agent reads them.
 */
public abstract class SunJsseEvents {

    /** The running agent's implementation, or null. */
    public static volatile SunJsseEvents current;

    protected SunJsseEvents() {}

    /** {@code HandshakeContext.dispatch(byte, Plaintext)}: a handshake message was received, before it is processed. */
    public abstract void inboundMessage(Object handshakeContext, byte type, Object plaintext, long nanoTime);

    /** {@code SSLHandshake.HandshakeMessage.write(HandshakeOutStream)}: a handshake message is about to be written. */
    public abstract void outboundMessage(Object handshakeMessage, Object handshakeOutStream, long nanoTime);

    /**
     * {@code HandshakeOutStream.complete()} was entered: {@code buffer[0..length)} is the handshake message just
     * written (its 4-byte header and body), which SunJSSE is about to hand to the record layer. The buffer is the
     * stream's own and is reused: read it now or never.
     */
    public abstract void outboundMessageComplete(Object handshakeOutStream, byte[] buffer, int length);

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
}
