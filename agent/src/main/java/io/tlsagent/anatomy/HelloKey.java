package io.tlsagent.anatomy;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * A hello without its per-connection parts: what stays the same when one kind of client (or server) connects again
 * and again, so that its parse and fingerprints are made once ({@link Hellos}). Dropped: the random (a
 * HelloRetryRequest's fixed random becomes a flag), the session ID, the key-share bytes (the groups and the key
 * lengths stay), the PSK identities and binders, the ticket, the cookie and the padding. The three lengths a
 * ClientHello's parse reports of them (session ID, ticket, PSK) are taken aside ({@link #sessionIdLength()}, ...)
 * and set on the cached parse per hello. Everything else, the groups that JA3 and the post-quantum questions need
 * included, is kept byte for byte, so a hello's parse is exactly its key's first hello's parse with its own
 * three lengths.
 *
 * <p>A parser that starts to read one of the dropped parts must keep it here too ({@code HellosTest} compares
 * cached and direct parses of real hellos).
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
    // This hello's own lengths of its per-connection parts (not part of the key): -1 where absent.
    private final int sessionIdLength;
    private final int sessionTicketLength;
    private final int pskLength;

    private HelloKey(byte[] bytes, int[] lengths) {
        this.bytes = bytes;
        this.hash = Arrays.hashCode(bytes);
        this.sessionIdLength = lengths[0];
        this.sessionTicketLength = lengths[1];
        this.pskLength = lengths[2];
    }

    /** The key of a ClientHello body, or null when it does not parse cleanly or is too large to keep. */
    static HelloKey clientHello(ByteBuffer body) {
        try {
            TlsReader r = new TlsReader(body);
            Out out = new Out((byte) 'C');
            int version = r.u16("legacy_version");
            out.u16(version);
            r.skip(32, "random");
            out.lengths[0] = r.vector8("legacy_session_id").remaining();
            if (ClientHelloParser.isDtls(version)) {
                out.vector8(r.vector8("cookie"));
            }
            out.vector16(r.vector16("cipher_suites"));
            out.vector8(r.vector8("legacy_compression_methods"));
            if (r.hasRemaining() && !extensions(r.vector16("extensions"), out, true)) {
                return null;
            }
            return r.hasRemaining() ? null : out.key();
        } catch (Malformed e) {
            return null;
        }
    }

    /** The key of a ServerHello (or HelloRetryRequest) body, or null. */
    static HelloKey serverHello(ByteBuffer body) {
        try {
            TlsReader r = new TlsReader(body);
            Out out = new Out((byte) 'S');
            out.u16(r.u16("legacy_version"));
            out.u8(ServerHelloParser.isHelloRetryRandom(r) ? 1 : 0);
            r.skip(32, "random");
            out.u8(r.vector8("legacy_session_id_echo").remaining());
            out.u16(r.u16("cipher_suite"));
            out.u8(r.u8("legacy_compression_method"));
            if (r.hasRemaining() && !extensions(r.vector16("extensions"), out, false)) {
                return null;
            }
            return r.hasRemaining() ? null : out.key();
        } catch (Malformed e) {
            return null;
        }
    }

    /** Writes each extension's type and what of it the key keeps; false when one claims more than is there. */
    private static boolean extensions(TlsReader all, Out out, boolean client) {
        while (all.hasRemaining()) {
            int type = all.u16("extension type");
            int length = all.u16("extension length");
            if (length > all.remaining()) {
                return false;
            }
            TlsReader data = all.take(length, "extension");
            out.u16(type);
            switch (type) {
                case PADDING:
                case COOKIE:
                    break;
                case SESSION_TICKET:
                case PRE_SHARED_KEY:
                    if (client) {
                        out.lengths[type == SESSION_TICKET ? 1 : 2] = length;
                    } else {
                        out.vector16(data); // the server's selected identity is an index, not a secret
                    }
                    break;
                case KEY_SHARE:
                    keyShare(data, out, client);
                    break;
                default:
                    out.vector16(data);
            }
        }
        return true;
    }

    /** Groups and key lengths; the bytes as they are when they do not read as key shares (the parser says so). */
    private static void keyShare(TlsReader data, Out out, boolean client) {
        int start = out.size();
        try {
            TlsReader copy = data.copy();
            out.u8(1);
            if (client) {
                TlsReader shares = copy.vector16("client_shares");
                while (shares.hasRemaining()) {
                    out.u16(shares.u16("group"));
                    out.u16(shares.vector16("key_exchange").remaining());
                }
                if (copy.hasRemaining()) {
                    throw new Malformed("key_share: trailing bytes");
                }
            } else {
                out.u16(copy.u16("group")); // ServerHello: group and key; HelloRetryRequest: the group alone
                out.u16(copy.remaining());
            }
        } catch (Malformed unusual) {
            out.truncate(start);
            out.u8(0);
            out.vector16(data);
        }
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

    int size() {
        return bytes.length;
    }

    int sessionIdLength() {
        return sessionIdLength;
    }

    int sessionTicketLength() {
        return sessionTicketLength;
    }

    int pskLength() {
        return pskLength;
    }

    /** A growable byte array that gives up (returns no key) past {@link #MAX_BYTES}. */
    private static final class Out {
        private byte[] buf = new byte[256];
        private int size;
        private boolean tooLarge;
        final int[] lengths = {-1, -1, -1};

        Out(byte kind) {
            u8(kind);
        }

        int size() {
            return size;
        }

        void truncate(int to) {
            size = to;
        }

        void u8(int v) {
            if (size == buf.length) {
                if (buf.length >= MAX_BYTES) {
                    tooLarge = true;
                    return;
                }
                buf = Arrays.copyOf(buf, buf.length * 2);
            }
            buf[size++] = (byte) v;
        }

        void u16(int v) {
            u8(v >> 8);
            u8(v);
        }

        /** The reader's remaining bytes with a 1-byte length first; the reader is left where it was. */
        void vector8(TlsReader r) {
            u8(r.remaining());
            rest(r);
        }

        void vector16(TlsReader r) {
            u16(r.remaining());
            rest(r);
        }

        private void rest(TlsReader r) {
            for (int i = 0; i < r.remaining() && !tooLarge; i++) {
                u8(r.peek(i, "bytes"));
            }
        }

        HelloKey key() {
            return tooLarge ? null : new HelloKey(Arrays.copyOf(buf, size), lengths);
        }
    }
}
