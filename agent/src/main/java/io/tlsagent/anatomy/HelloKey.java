package io.tlsagent.anatomy;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * A hello without its per-connection parts: what stays the same when one kind of client (or server) connects again
 * and again, so that its parse and fingerprints are made once ({@link Hellos}). Dropped: the random (a
 * HelloRetryRequest's fixed random becomes a flag), the session ID, the key-share bytes (the groups and the key
 * lengths stay), the PSK identities and binders, the ticket, the cookie and the padding. The three lengths a
 * ClientHello's parse reports of them (session ID, ticket, PSK) are taken aside ({@link Sink#sessionIdLength}, ...)
 * and set on the cached parse per hello. Everything else, the groups that JA3 and the post-quantum questions need
 * included, is kept byte for byte, so a hello's parse is exactly its key's first hello's parse with its own
 * three lengths.
 *
 * <p>One walk over the hello's bytes (plain offsets, no objects per field) feeds a {@link Sink}: one that keeps
 * the key's bytes, one that only hashes them, one that compares them with a known key; so a known hello is found
 * without making its key. A parser that starts to read one of the dropped parts must keep it here too
 * ({@code HellosTest} compares cached and direct parses of real and fuzzed hellos).
 */
final class HelloKey {

    /** Longer keys are not cached (a hostile hello); the hello is then parsed each time. */
    static final int MAX_BYTES = 4096;

    private static final int SESSION_TICKET = 35;
    private static final int PADDING = 21;
    private static final int PRE_SHARED_KEY = 41;
    private static final int COOKIE = 44;
    private static final int KEY_SHARE = 51;

    private final byte[] bytes;
    private final int hash;

    private HelloKey(byte[] bytes) {
        this.bytes = bytes;
        this.hash = Arrays.hashCode(bytes);
    }

    /** What the walk does with the key's bytes; also where it puts the per-connection lengths (-1: absent). */
    abstract static class Sink {
        int sessionIdLength = -1;
        int sessionTicketLength = -1;
        int pskLength = -1;
        int size;

        abstract void u8(int v);

        final void u16(int v) {
            u8(v >> 8);
            u8(v);
        }

        void bytes(ByteBuffer b, int from, int length) {
            for (int i = from; i < from + length && size <= MAX_BYTES; i++) {
                u8(b.get(i));
            }
        }

        /** Whether the key fits the bound (a longer one is not kept). */
        final boolean fits() {
            return size <= MAX_BYTES;
        }
    }

    /** Keeps the key's bytes. */
    static final class Out extends Sink {
        private byte[] buf = new byte[256];

        @Override
        void u8(int v) {
            if (size == buf.length) {
                if (size > MAX_BYTES) {
                    return;
                }
                buf = Arrays.copyOf(buf, buf.length * 2);
            }
            buf[size++] = (byte) v;
        }

        HelloKey key() {
            return fits() ? new HelloKey(Arrays.copyOf(buf, size)) : null;
        }
    }

    /** Hashes the key's bytes (64-bit FNV-1a): where to look for a known one. */
    static final class Hash extends Sink {
        long value = 0xcbf29ce484222325L;

        @Override
        void u8(int v) {
            size++;
            value = (value ^ (v & 0xFF)) * 0x100000001b3L;
        }

        @Override
        void bytes(ByteBuffer b, int from, int length) {
            long h = value;
            for (int i = from; i < from + length; i++) {
                h = (h ^ (b.get(i) & 0xFF)) * 0x100000001b3L;
            }
            value = h;
            size += length;
        }
    }

    /** Compares the key's bytes with a known key's. */
    static final class Match extends Sink {
        private final byte[] expected;
        private boolean differs;

        Match(HelloKey known) {
            this.expected = known.bytes;
        }

        @Override
        void u8(int v) {
            differs |= size >= expected.length || expected[size] != (byte) v;
            size++;
        }

        @Override
        void bytes(ByteBuffer b, int from, int length) {
            if (differs || size + length > expected.length) {
                differs = true;
            } else {
                for (int i = 0; i < length && !differs; i++) {
                    differs = expected[size + i] != b.get(from + i);
                }
            }
            size += length;
        }

        boolean matches() {
            return !differs && size == expected.length;
        }
    }

    /** The key of a ClientHello body, or null when it does not parse cleanly or is too large to keep. */
    static HelloKey clientHello(ByteBuffer body) {
        Out out = new Out();
        return client(body, out) ? out.key() : null;
    }

    /** The key of a ServerHello (or HelloRetryRequest) body, or null. */
    static HelloKey serverHello(ByteBuffer body) {
        Out out = new Out();
        return server(body, out) ? out.key() : null;
    }

    /**
     * Walks a ClientHello body as the parser reads it, giving {@code out} the key's bytes; false when the hello
     * does not parse cleanly (it then has no key).
     */
    static boolean client(ByteBuffer b, Sink out) {
        int p = b.position();
        int end = b.limit();
        if (end - p < 2 + 32 + 1) {
            return false;
        }
        out.u8('C');
        int version = u16(b, p);
        out.u16(version);
        p += 2 + 32; // legacy_version, random
        int sessionId = u8(b, p);
        p += 1 + sessionId;
        out.sessionIdLength = sessionId;
        if (ClientHelloParser.isDtls(version)) {
            p = vector(b, p, end, 1, out); // cookie
        }
        p = vector(b, p, end, 2, out); // cipher_suites
        p = vector(b, p, end, 1, out); // legacy_compression_methods
        if (p >= 0 && p < end) {
            p = extensions(b, p, end, out, true);
        }
        return p == end && out.fits();
    }

    /** As {@link #client} for a ServerHello (or HelloRetryRequest) body. */
    static boolean server(ByteBuffer b, Sink out) {
        int p = b.position();
        int end = b.limit();
        if (end - p < 2 + 32 + 1) {
            return false;
        }
        out.u8('S');
        out.u16(u16(b, p));
        out.u8(ServerHelloParser.isHelloRetryRandom(new TlsReader(b.duplicate().position(p + 2))) ? 1 : 0);
        p += 2 + 32;
        out.u8(u8(b, p)); // the session ID's length
        p += 1 + u8(b, p);
        if (p + 3 > end) {
            return false;
        }
        out.u16(u16(b, p)); // cipher_suite
        out.u8(u8(b, p + 2)); // legacy_compression_method
        p += 3;
        if (p < end) {
            p = extensions(b, p, end, out, false);
        }
        return p == end && out.fits();
    }

    /** Copies a vector with a {@code prefix}-byte length; the offset after it, or -1 when it runs past the end. */
    private static int vector(ByteBuffer b, int p, int end, int prefix, Sink out) {
        if (p < 0 || p + prefix > end) {
            return -1;
        }
        int length = prefix == 1 ? u8(b, p) : u16(b, p);
        if (p + prefix + length > end) {
            return -1;
        }
        if (prefix == 1) {
            out.u8(length);
        } else {
            out.u16(length);
        }
        out.bytes(b, p + prefix, length);
        return p + prefix + length;
    }

    /** Each extension's type and what of it the key keeps; the offset after them, or -1. */
    private static int extensions(ByteBuffer b, int p, int end, Sink out, boolean client) {
        if (p + 2 > end) {
            return -1;
        }
        int all = p + 2 + u16(b, p);
        if (all > end) {
            return -1;
        }
        p += 2;
        while (p < all) {
            if (p + 4 > all) {
                return -1;
            }
            int type = u16(b, p);
            int length = u16(b, p + 2);
            int data = p + 4;
            if (data + length > all) {
                return -1;
            }
            out.u16(type);
            if (type == PADDING || type == COOKIE) {
                // per connection, and no parser reads them
            } else if (client && type == SESSION_TICKET) {
                out.sessionTicketLength = length;
            } else if (client && type == PRE_SHARED_KEY) {
                out.pskLength = length;
            } else if (type == KEY_SHARE) {
                keyShare(b, data, length, out, client);
            } else {
                out.u16(length);
                out.bytes(b, data, length);
            }
            p = data + length;
        }
        return all;
    }

    /** Groups and key lengths; the bytes as they are when they do not read as key shares (the parser says so). */
    private static void keyShare(ByteBuffer b, int data, int length, Sink out, boolean client) {
        if (client ? clientShares(b, data, length, null) : length >= 2) {
            out.u8(1);
            if (client) {
                clientShares(b, data, length, out);
            } else {
                out.u16(u16(b, data)); // ServerHello: group and key; HelloRetryRequest: the group alone
                out.u16(length - 2);
            }
        } else {
            out.u8(0);
            out.u16(length);
            out.bytes(b, data, length);
        }
    }

    /** Whether a ClientHello's key_share data is a well-formed list of shares; gives their groups and lengths. */
    private static boolean clientShares(ByteBuffer b, int data, int length, Sink out) {
        if (length < 2 || 2 + u16(b, data) != length) {
            return false;
        }
        int p = data + 2;
        int end = data + length;
        while (p < end) {
            if (p + 4 > end || p + 4 + u16(b, p + 2) > end) {
                return false;
            }
            if (out != null) {
                out.u16(u16(b, p));
                out.u16(u16(b, p + 2));
            }
            p += 4 + u16(b, p + 2);
        }
        return true;
    }

    private static int u8(ByteBuffer b, int at) {
        return at < b.limit() ? b.get(at) & 0xFF : 0;
    }

    private static int u16(ByteBuffer b, int at) {
        return (u8(b, at) << 8) | u8(b, at + 1);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof HelloKey && ((HelloKey) o).hash == hash && Arrays.equals(((HelloKey) o).bytes, bytes);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    /** A name for what this key stands for: 16 hex digits of its SHA-256 (null on a JDK without SHA-256). */
    String id() {
        byte[] d = Hex.digest("SHA-256", bytes);
        return d == null ? null : Hex.lower(Arrays.copyOf(d, 8));
    }
}
