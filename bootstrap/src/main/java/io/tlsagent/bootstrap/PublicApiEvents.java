package io.tlsagent.bootstrap;

import java.nio.ByteBuffer;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLSocket;

/**
 * What every TLS implementation reports to the agent through the public JSSE API: the advice on the constructors of
 * {@code SSLEngine} and {@code SSLSocket}, and on the engine and socket classes of providers other than SunJSSE.
 * Defined in the bootstrap class loader like {@link SunJsseEvents}, and called the same way: {@code PublicApiEvents
 * e = PublicApiEvents.current; if (e != null) ...}.
 */
public abstract class PublicApiEvents {

    /** The running agent's implementation, or null. */
    public static volatile PublicApiEvents current;

    protected PublicApiEvents() {}

    /** An {@code SSLEngine} or {@code SSLSocket} was constructed: the first of its class gets that class hooked. */
    public abstract void tlsObjectCreated(Object engineOrSocket);

    /**
     * A hooked engine's wrap/unwrap returned while handshaking (a status other than NOT_HANDSHAKING). The bytes it
     * produced ({@code wrap}: into {@code buffer}, its {@code dst}) or consumed ({@code unwrap}: from {@code buffer},
     * its single {@code src}) are the {@code bytesProduced()}/{@code bytesConsumed()} bytes before the buffer's
     * position; {@code buffer} is null where the call's buffers are not of these shapes. Delegating overloads report
     * the same result object again.
     */
    public abstract void engineResult(SSLEngine engine, SSLEngineResult result, boolean wrap, ByteBuffer buffer,
            long nanoTime);

    /**
     * As {@link #engineResult} for an unwrap from several buffers ({@code srcs[offset, offset + length)}, as Netty's
     * and Conscrypt's engines have): the positions the first four of them had when the call began, for the consumed
     * bytes to be found among them.
     */
    public abstract void engineUnwrapped(SSLEngine engine, SSLEngineResult result, ByteBuffer[] srcs, int offset,
            int length, int position0, int position1, int position2, int position3, long nanoTime);

    /** A hooked engine's wrap/unwrap threw. */
    public abstract void engineFailed(SSLEngine engine, Throwable failure, long nanoTime);

    /** A hooked socket's {@code startHandshake()} begins on this thread. */
    public abstract void socketHandshakeEntered();

    /** A hooked socket's {@code startHandshake()} returned ({@code failure} null) or threw. */
    public abstract void socketHandshakeExited(SSLSocket socket, long startNanos, Throwable failure, long nanoTime);
}
