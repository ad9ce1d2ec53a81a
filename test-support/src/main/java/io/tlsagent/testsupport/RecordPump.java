package io.tlsagent.testsupport;

import java.nio.ByteBuffer;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLException;

/**
 * Application data between an engine pair that has finished its handshake: one full TLS record, sealed by the
 * client's {@code wrap} and opened by the server's {@code unwrap}, into buffers allocated once (the pump itself
 * allocates nothing per record: what a data-path benchmark measures is the engines').
 */
public final class RecordPump {

    public static final int OFFERED = 16 * 1024;

    private final EnginePair pair;
    private final ByteBuffer plain;
    private final ByteBuffer net;
    private final ByteBuffer opened;

    public RecordPump(EnginePair pair) throws SSLException {
        this.pair = pair;
        net = ByteBuffer.allocate(pair.client.getSession().getPacketBufferSize());
        opened = ByteBuffer.allocate(pair.server.getSession().getApplicationBufferSize());
        // As much as SunJSSE puts in one record when offered 16 KiB (16,367 bytes on JDK 17): one record per call.
        plain = ByteBuffer.allocate(OFFERED);
        plain.limit(pair.client.wrap(plain, net).bytesConsumed());
        net.flip();
        pair.server.unwrap(net, opened);
    }

    /** Bytes of application data in each record. */
    public int recordSize() {
        return plain.limit();
    }

    /** Seals and opens one record; returns the bytes opened. */
    public int one() throws SSLException {
        plain.position(0);
        net.clear();
        SSLEngineResult sealed = pair.client.wrap(plain, net);
        net.flip();
        opened.clear();
        SSLEngineResult r = pair.server.unwrap(net, opened);
        if (sealed.bytesConsumed() != plain.limit() || r.bytesProduced() != plain.limit()) {
            throw new IllegalStateException("not one full record: " + sealed + " / " + r);
        }
        return opened.position();
    }
}
