package io.tlsagent.anatomy;

import io.tlsagent.record.ServerHello;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/** Reads a ServerHello body (RFC 8446 4.1.3, RFC 5246 7.4.1.3). One instance per message. */
public final class ServerHelloParser extends ParseState {

    /** RFC 8446 4.1.3: SHA-256("HelloRetryRequest"), the random that marks a HelloRetryRequest. */
    private static final int[] HRR_RANDOM = {
        0xCF, 0x21, 0xAD, 0x74, 0xE5, 0x9A, 0x61, 0x11, 0xBE, 0x1D, 0x8C, 0x02, 0x1E, 0x65, 0xB8, 0x91,
        0xC2, 0xA2, 0x11, 0x16, 0x7A, 0xBB, 0x8C, 0x5E, 0x07, 0x9E, 0x09, 0xE2, 0xC8, 0xA8, 0x33, 0x9C,
    };

    int legacyVersion = -1;
    int selectedVersion = -1;
    int cipherSuite = -1;
    int compressionMethod = -1;
    int sessionIdLength = -1;
    final List<Integer> extensions = new ArrayList<>();
    int keyShareGroup = -1;
    String alpnProtocol;
    boolean helloRetryRequest;

    private ServerHelloParser() {}

    /**
     * Parses a ServerHello (or HelloRetryRequest) body, without the 4-byte handshake header, from the buffer's
     * position to its limit. Never throws, never moves the buffer.
     */
    public static ServerHello parse(ByteBuffer body) {
        return new ServerHelloParser().read(body);
    }

    private ServerHello read(ByteBuffer body) {
        if (body == null) {
            fail("no message");
            return value();
        }
        try {
            TlsReader r = new TlsReader(body);
            legacyVersion = r.u16("legacy_version");
            helloRetryRequest = isHelloRetryRandom(r);
            r.skip(32, "random");
            sessionIdLength = r.vector8("legacy_session_id_echo").remaining();
            cipherSuite = r.u16("cipher_suite");
            compressionMethod = r.u8("legacy_compression_method");
            if (r.hasRemaining()) {
                extensions(r, extensions);
            }
            if (r.hasRemaining()) {
                fail(r.remaining() + " trailing bytes after extensions");
            }
        } catch (Malformed e) {
            fail(e.getMessage());
        }
        return value();
    }

    private ServerHello value() {
        return ServerHello.builder().legacyVersion(legacyVersion).selectedVersion(selectedVersion)
                .cipherSuite(cipherSuite).compressionMethod(compressionMethod).sessionIdLength(sessionIdLength)
                .extensions(extensions).keyShareGroup(keyShareGroup).alpnProtocol(alpnProtocol)
                .helloRetryRequest(helloRetryRequest).truncated(truncated).parseError(error).build();
    }

    @Override
    void onExtension(int type, TlsReader data) {
        switch (type) {
            case 16:
                TlsReader list = data.vector16("protocol_name_list");
                TlsReader name = list.vector8("protocol_name");
                alpnProtocol = name.latin1(name.remaining(), "protocol_name");
                if (list.hasRemaining()) {
                    fail("extension application_layer_protocol_negotiation: more than one protocol");
                }
                break;
            case 43:
                selectedVersion = data.u16("selected_version");
                break;
            case 51:
                // ServerHello: group + key_exchange; HelloRetryRequest: the group alone. The key is skipped.
                keyShareGroup = data.u16("key_share group");
                data.skip(data.remaining(), "key_share");
                break;
            default:
                data.skip(data.remaining(), "extension");
        }
    }

    /**
     * For a reader of the wire on the handshake's thread, without a parse: whether a ServerHello body is a
     * HelloRetryRequest, and whether it selects TLS 1.3 (its supported_versions extension says 0x0304).
     */
    public static boolean isHelloRetryRequest(ByteBuffer body) {
        TlsReader r = new TlsReader(body);
        if (r.remaining() < 2 + HRR_RANDOM.length) {
            return false;
        }
        r.skip(2, "legacy_version");
        return isHelloRetryRandom(r);
    }

    private static final int SELECTS_TLS13 = 1;
    private static final int ACCEPTS_PSK = 2;
    private static final int HAS_KEY_SHARE = 4;

    /**
     * See {@link #isHelloRetryRequest}: what a ServerHello selects, packed in an int (no allocation on the
     * handshake's thread): read it with {@link #selectsTls13}, {@link #acceptsPsk}, {@link #keyShareGroup}. 0 for a
     * malformed body.
     */
    public static int shape(ByteBuffer body) {
        try {
            TlsReader r = new TlsReader(body);
            r.skip(2 + 32, "legacy_version, random");
            r.skip(r.u8("legacy_session_id_echo length"), "legacy_session_id_echo");
            r.skip(3, "cipher_suite, legacy_compression_method");
            int shape = 0;
            TlsReader extensions = r.vector16("extensions");
            while (extensions.hasRemaining()) {
                int type = extensions.u16("extension type");
                TlsReader data = extensions.vector16("extension data");
                if (type == 43 && data.remaining() == 2 && data.u16("selected_version") == 0x0304) {
                    shape |= SELECTS_TLS13;
                } else if (type == 41) {
                    shape |= ACCEPTS_PSK;
                } else if (type == 51 && data.remaining() >= 2) {
                    shape |= HAS_KEY_SHARE | (data.u16("key_share group") << 8);
                }
            }
            return shape;
        } catch (Malformed e) {
            return 0;
        }
    }

    /** The ServerHello selects TLS 1.3 (supported_versions says 0x0304). */
    public static boolean selectsTls13(int shape) {
        return (shape & SELECTS_TLS13) != 0;
    }

    /** The server accepted a pre-shared key (pre_shared_key extension): a TLS 1.3 resumption. */
    public static boolean acceptsPsk(int shape) {
        return (shape & ACCEPTS_PSK) != 0;
    }

    /** The key_share group, -1 without one. */
    public static int keyShareGroup(int shape) {
        return (shape & HAS_KEY_SHARE) != 0 ? (shape >>> 8) & 0xFFFF : -1;
    }

    static boolean isHelloRetryRandom(TlsReader r) {
        if (r.remaining() < HRR_RANDOM.length) {
            return false;
        }
        for (int i = 0; i < HRR_RANDOM.length; i++) {
            if (r.peek(i, "random") != HRR_RANDOM[i]) {
                return false;
            }
        }
        return true;
    }
}
