package io.tlsagent.testsupport;

import static javax.net.ssl.SSLEngineResult.HandshakeStatus.NOT_HANDSHAKING;

import java.nio.ByteBuffer;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLException;

/**
 * Application data between an engine pair that has finished its handshake: one full TLS record, sealed by the
 * client's {@code wrap} and opened by the server's {@code unwrap}, into buffers allocated once (the pump itself
 * allocates nothing per record: what a data-path benchmark measures is the engines'). Each record is checked: whole,
 * and both results say NOT_HANDSHAKING (the data path proper). The buffers are on the heap, or direct (as Netty's
 * {@code SslHandler} hands them to its OpenSSL engine).
 */
public final class RecordPump {

    public static final int OFFERED = 16 * 1024;

    private final EnginePair pair;
    private final ByteBuffer plain;
    private final ByteBuffer net;
    private final ByteBuffer opened;
    /** The sealed record in equal parts, each a view of {@code net}, for {@link #oneSplit}. */
    private final ByteBuffer[] parts;
    private final ByteBuffer[] openedInto;

    /**
     * An engine's {@code unwrap(ByteBuffer[] srcs, ByteBuffer[] dsts)}: Netty's OpenSSL engine and Conscrypt's have
     * one, {@code SSLEngine} has not.
     */
    @FunctionalInterface
    public interface MultiBufferUnwrap {
        SSLEngineResult unwrap(ByteBuffer[] srcs, ByteBuffer[] dsts) throws SSLException;
    }

    /** Heap buffers. */
    public RecordPump(EnginePair pair) throws SSLException {
        this(pair, false, 2);
    }

    /** {@link #oneSplit} hands the engine the record in {@code sourceBuffers} buffers. */
    public RecordPump(EnginePair pair, boolean direct, int sourceBuffers) throws SSLException {
        this.pair = pair;
        net = allocate(pair.client.getSession().getPacketBufferSize(), direct);
        opened = allocate(pair.server.getSession().getApplicationBufferSize(), direct);
        parts = new ByteBuffer[sourceBuffers];
        for (int i = 0; i < sourceBuffers; i++) {
            parts[i] = net.duplicate();
        }
        openedInto = new ByteBuffer[] {opened};
        // As much as the engine puts in one record when offered 16 KiB (SunJSSE on JDK 17: 16,367 bytes; Conscrypt
        // and BoringSSL: 16,384): one record per call.
        plain = allocate(OFFERED, direct);
        plain.limit(pair.client.wrap(plain, net).bytesConsumed());
        net.flip();
        pair.server.unwrap(net, opened);
    }

    private static ByteBuffer allocate(int capacity, boolean direct) {
        return direct ? ByteBuffer.allocateDirect(capacity) : ByteBuffer.allocate(capacity);
    }

    /** Bytes of application data in each record. */
    public int recordSize() {
        return plain.limit();
    }

    /** Seals and opens one record; returns the bytes opened. */
    public int one() throws SSLException {
        SSLEngineResult sealed = seal();
        opened.clear();
        SSLEngineResult r = pair.server.unwrap(net, opened);
        return check(sealed, r);
    }

    /**
     * Seals one record and opens it through the server engine's {@code unwrap(ByteBuffer[] srcs, ByteBuffer[] dsts)},
     * its bytes split over the source buffers in equal parts (what Netty's {@code SslHandler} passes from a composite
     * cumulation: two reads, or many small ones); returns the bytes opened.
     */
    public int oneSplit(MultiBufferUnwrap server) throws SSLException {
        SSLEngineResult sealed = seal();
        int length = net.limit();
        int n = parts.length;
        for (int i = 0; i < n; i++) {
            parts[i].clear();
            parts[i].limit((int) ((long) length * (i + 1) / n)).position((int) ((long) length * i / n));
        }
        opened.clear();
        SSLEngineResult r = server.unwrap(parts, openedInto);
        for (ByteBuffer part : parts) {
            if (part.hasRemaining()) {
                throw new IllegalStateException("the record was not consumed whole: " + r);
            }
        }
        return check(sealed, r);
    }

    private SSLEngineResult seal() throws SSLException {
        plain.position(0);
        net.clear();
        SSLEngineResult sealed = pair.client.wrap(plain, net);
        net.flip();
        return sealed;
    }

    private int check(SSLEngineResult sealed, SSLEngineResult opening) {
        if (sealed.bytesConsumed() != plain.limit() || opening.bytesProduced() != plain.limit()) {
            throw new IllegalStateException("not one full record: " + sealed + " / " + opening);
        }
        if (sealed.getHandshakeStatus() != NOT_HANDSHAKING || opening.getHandshakeStatus() != NOT_HANDSHAKING) {
            throw new IllegalStateException("not the data path: " + sealed + " / " + opening);
        }
        return opened.position();
    }
}
