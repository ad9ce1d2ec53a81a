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

    /** The most buffers of one unwrap whose start positions are remembered; an unwrap from more is not read. */
    public static final int MAX_TRACKED_BUFFERS = 1024;
    /**
     * Per thread, the start positions of the buffers of the unwrap running on it, for unwraps from more than four
     * (Netty's composite cumulation after many small reads): grown, rarely, to the largest count seen.
     */
    private static final ThreadLocal<int[]> START_POSITIONS = new ThreadLocal<>();

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
     * and Conscrypt's engines have): the positions the first four of them had when the call began (the others', if
     * more, in {@link #startPositions()}), for the consumed bytes to be found among them.
     */
    public abstract void engineUnwrapped(SSLEngine engine, SSLEngineResult result, ByteBuffer[] srcs, int offset,
            int length, int position0, int position1, int position2, int position3, long nanoTime);

    /**
     * Called by the engine advice at the exit of a wrap/unwrap that handshook or threw (the advice itself returns on
     * the data path): passes it on to the running agent.
     */
    public static void engineReturned(SSLEngine engine, SSLEngineResult result, Throwable thrown, boolean wrap,
            ByteBuffer buffer) {
        PublicApiEvents events = current;
        if (events == null) {
            return;
        }
        if (thrown != null) {
            events.engineFailed(engine, thrown, System.nanoTime());
        } else {
            events.engineResult(engine, result, wrap, buffer, System.nanoTime());
        }
    }

    /** As {@link #engineReturned}, for an unwrap from several buffers ({@link #engineUnwrapped}). */
    public static void engineUnwrapReturned(SSLEngine engine, SSLEngineResult result, Throwable thrown,
            ByteBuffer[] srcs, int offset, int length, int position0, int position1, int position2, int position3) {
        PublicApiEvents events = current;
        if (events == null) {
            return;
        }
        if (thrown != null) {
            events.engineFailed(engine, thrown, System.nanoTime());
        } else {
            events.engineUnwrapped(engine, result, srcs, offset, length, position0, position1, position2, position3,
                    System.nanoTime());
        }
    }

    /**
     * Called at the entry of an unwrap from more than four buffers: remembers where each of
     * {@code srcs[offset, offset + length)} starts, on this thread, for {@link #startPositions()} at its exit.
     */
    public static void rememberStartPositions(ByteBuffer[] srcs, int offset, int length) {
        if (length > MAX_TRACKED_BUFFERS) {
            return;
        }
        int[] positions = START_POSITIONS.get();
        if (positions == null || positions.length < length) {
            positions = new int[Math.max(16, Integer.highestOneBit(length - 1) << 1)];
            START_POSITIONS.set(positions);
        }
        for (int i = 0; i < length; i++) {
            positions[i] = srcs[offset + i].position();
        }
    }

    /** This thread's start positions remembered last, or null. */
    public static int[] startPositions() {
        return START_POSITIONS.get();
    }

    /** A hooked engine's wrap/unwrap threw. */
    public abstract void engineFailed(SSLEngine engine, Throwable failure, long nanoTime);

    /** A hooked socket's {@code startHandshake()} begins on this thread. */
    public abstract void socketHandshakeEntered();

    /** A hooked socket's {@code startHandshake()} returned ({@code failure} null) or threw. */
    public abstract void socketHandshakeExited(SSLSocket socket, long startNanos, Throwable failure, long nanoTime);
}
