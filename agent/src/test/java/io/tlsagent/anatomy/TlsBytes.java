package io.tlsagent.anatomy;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;

/** Writes TLS structures by hand for tests: big-endian integers and length-prefixed vectors. */
final class TlsBytes {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    TlsBytes u8(int v) {
        out.write(v);
        return this;
    }

    TlsBytes u16(int v) {
        return u8(v >> 8).u8(v);
    }

    TlsBytes u24(int v) {
        return u8(v >> 16).u8(v >> 8).u8(v);
    }

    TlsBytes bytes(byte[] b) {
        out.write(b, 0, b.length);
        return this;
    }

    TlsBytes zeros(int n) {
        return bytes(new byte[n]);
    }

    TlsBytes vec8(TlsBytes inner) {
        return u8(inner.size()).bytes(inner.toBytes());
    }

    TlsBytes vec16(TlsBytes inner) {
        return u16(inner.size()).bytes(inner.toBytes());
    }

    TlsBytes vec24(TlsBytes inner) {
        return u24(inner.size()).bytes(inner.toBytes());
    }

    /** A list of 2-byte values with its 2-byte length. */
    TlsBytes u16List16(int... values) {
        TlsBytes list = new TlsBytes();
        for (int v : values) {
            list.u16(v);
        }
        return vec16(list);
    }

    /** An extension: type and 2-byte-length data. */
    TlsBytes extension(int type, TlsBytes data) {
        return u16(type).vec16(data);
    }

    int size() {
        return out.size();
    }

    byte[] toBytes() {
        return out.toByteArray();
    }

    ByteBuffer buffer() {
        return ByteBuffer.wrap(toBytes());
    }

    static byte[] hex(String hex) {
        byte[] out = new byte[hex.length() / 2];
        for (int i = 0; i < out.length; i++) {
            out[i] = (byte) Integer.parseInt(hex.substring(2 * i, 2 * i + 2), 16);
        }
        return out;
    }

    /**
     * A ClientHello body: legacy_version 0x0303, zero random, no session ID, the given suites, null compression,
     * and the given extensions block (null for none at all).
     */
    static TlsBytes clientHello(int[] suites, TlsBytes extensions) {
        TlsBytes b = new TlsBytes().u16(0x0303).zeros(32).u8(0).u16List16(suites).u8(1).u8(0);
        return extensions == null ? b : b.vec16(extensions);
    }

    /** ALPN extension data for the given protocol names (each as raw bytes). */
    static TlsBytes alpn(byte[]... protocols) {
        TlsBytes list = new TlsBytes();
        for (byte[] p : protocols) {
            list.vec8(new TlsBytes().bytes(p));
        }
        return new TlsBytes().vec16(list);
    }
}
