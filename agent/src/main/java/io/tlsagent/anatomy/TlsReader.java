package io.tlsagent.anatomy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * A cursor over a window of a ByteBuffer, reading TLS's big-endian integers and length-prefixed vectors with
 * absolute gets, so the caller's buffer never moves. Every read checks the window first: a length field can
 * never make it read, skip or allocate past the bytes that are really there.
 */
final class TlsReader {

    private final ByteBuffer buf;
    private final int end;
    private int pos;

    /** Reads {@code buf} from its position to its limit. */
    TlsReader(ByteBuffer buf) {
        this(buf, buf.position(), buf.limit());
    }

    private TlsReader(ByteBuffer buf, int start, int end) {
        this.buf = buf;
        this.pos = start;
        this.end = end;
    }

    int remaining() {
        return end - pos;
    }

    boolean hasRemaining() {
        return pos < end;
    }

    int u8(String what) {
        need(1, what);
        return buf.get(pos++) & 0xFF;
    }

    int u16(String what) {
        need(2, what);
        int v = ((buf.get(pos) & 0xFF) << 8) | (buf.get(pos + 1) & 0xFF);
        pos += 2;
        return v;
    }

    int u24(String what) {
        need(3, what);
        int v = ((buf.get(pos) & 0xFF) << 16) | ((buf.get(pos + 1) & 0xFF) << 8) | (buf.get(pos + 2) & 0xFF);
        pos += 3;
        return v;
    }

    /** The next {@code length} bytes as a reader of their own; this one moves past them. */
    TlsReader take(int length, String what) {
        need(length, what);
        TlsReader sub = new TlsReader(buf, pos, pos + length);
        pos += length;
        return sub;
    }

    /** A reader of the same remaining bytes; this one does not move. */
    TlsReader copy() {
        return new TlsReader(buf, pos, end);
    }

    /** The next {@code length} bytes as a read-only buffer of their own (no copy); this reader moves past them. */
    ByteBuffer slice(int length, String what) {
        need(length, what);
        ByteBuffer b = buf.duplicate();
        b.limit(pos + length).position(pos);
        pos += length;
        return b.slice().asReadOnlyBuffer();
    }

    /** A vector with a 1-byte length prefix. */
    TlsReader vector8(String what) {
        return take(u8(what), what);
    }

    /** A vector with a 2-byte length prefix. */
    TlsReader vector16(String what) {
        return take(u16(what), what);
    }

    /** A vector with a 3-byte length prefix. */
    TlsReader vector24(String what) {
        return take(u24(what), what);
    }

    void skip(int length, String what) {
        need(length, what);
        pos += length;
    }

    /** Copies the next {@code length} bytes; callers cap {@code length} before asking. */
    byte[] bytes(int length, String what) {
        need(length, what);
        byte[] out = new byte[length];
        for (int i = 0; i < length; i++) {
            out[i] = buf.get(pos + i);
        }
        pos += length;
        return out;
    }

    /** The next {@code length} bytes as ISO-8859-1 text: one char per byte, so nothing is lost or guessed. */
    String latin1(int length, String what) {
        return new String(bytes(length, what), StandardCharsets.ISO_8859_1);
    }

    /** The byte at {@code offset} from the current position, without moving. */
    int peek(int offset, String what) {
        need(offset + 1, what);
        return buf.get(pos + offset) & 0xFF;
    }

    private void need(int n, String what) {
        if (n < 0 || n > end - pos) {
            throw new Malformed(what + ": needs " + n + " bytes, " + (end - pos) + " left");
        }
    }
}
