package io.tlsagent.anatomy;

import io.tlsagent.record.ClientHello;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Reads a ClientHello body (RFC 8446 4.1.2, RFC 5246 7.4.1.2; the DTLS cookie of RFC 6347 when the version is
 * a DTLS one). One instance per message. What was read before a problem is kept.
 */
public final class ClientHelloParser extends ParseState {

    int legacyVersion = -1;
    int sessionIdLength = -1;
    List<Integer> cipherSuites = Collections.emptyList();
    final List<Integer> extensions = new ArrayList<>();
    List<Integer> supportedVersions = Collections.emptyList();
    List<Integer> supportedGroups = Collections.emptyList();
    List<Integer> keyShareGroups = Collections.emptyList();
    List<Integer> signatureAlgorithms = Collections.emptyList();
    List<Integer> ecPointFormats = Collections.emptyList();
    List<String> alpnProtocols = Collections.emptyList();
    String serverName;
    int sessionTicketLength = -1;
    int pskLength = -1;

    private ClientHelloParser() {}

    /**
     * Parses a ClientHello body (the handshake message without its 4-byte header, starting at
     * {@code legacy_version}) from the buffer's position to its limit. Never throws, never moves the buffer.
     */
    public static ClientHello parse(ByteBuffer body) {
        return new ClientHelloParser().read(body);
    }

    private ClientHello read(ByteBuffer body) {
        if (body == null) {
            fail("no message");
            return value();
        }
        try {
            TlsReader r = new TlsReader(body);
            legacyVersion = r.u16("legacy_version");
            r.skip(32, "random");
            TlsReader sessionId = r.vector8("legacy_session_id");
            sessionIdLength = sessionId.remaining();
            if (isDtls(legacyVersion)) {
                r.vector8("cookie");
            }
            cipherSuites = u16List(r.vector16("cipher_suites"), Limits.MAX_CIPHER_SUITES, "cipher_suites");
            r.vector8("legacy_compression_methods");
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

    private ClientHello value() {
        return ClientHello.builder().legacyVersion(legacyVersion).sessionIdLength(sessionIdLength)
                .cipherSuites(cipherSuites).extensions(extensions).supportedVersions(supportedVersions)
                .supportedGroups(supportedGroups).keyShareGroups(keyShareGroups).signatureAlgorithms(signatureAlgorithms)
                .ecPointFormats(ecPointFormats).alpnProtocols(alpnProtocols).serverName(serverName)
                .sessionTicketLength(sessionTicketLength).pskLength(pskLength).truncated(truncated).parseError(error)
                .build();
    }

    @Override
    void onExtension(int type, TlsReader data) {
        switch (type) {
            case 0:
                serverName(data);
                break;
            case 10:
                supportedGroups = u16List(data.vector16("named_group_list"), Limits.MAX_GROUPS, "supported_groups");
                break;
            case 11:
                ecPointFormats = u8List(data.vector8("ec_point_format_list"), Limits.MAX_POINT_FORMATS,
                        "ec_point_formats");
                break;
            case 13:
                signatureAlgorithms = u16List(data.vector16("supported_signature_algorithms"),
                        Limits.MAX_SIGNATURE_ALGORITHMS, "signature_algorithms");
                break;
            case 16:
                alpn(data.vector16("protocol_name_list"));
                break;
            case 35:
                sessionTicketLength = data.remaining();
                data.skip(data.remaining(), "session_ticket");
                break;
            case 41:
                pskLength = data.remaining();
                data.skip(data.remaining(), "pre_shared_key");
                break;
            case 51:
                if (data.hasRemaining()) { // an empty extension (synthetic hellos have them) says nothing
                    keyShares(data.vector16("client_shares"));
                }
                break;
            case 43:
                supportedVersions = u16List(data.vector8("versions"), Limits.MAX_VERSIONS, "supported_versions");
                break;
            default:
                data.skip(data.remaining(), "extension");
        }
    }

    /** RFC 6066: a list of (name_type, name); only host_name (0) is defined. Keeps the first host name. */
    private void serverName(TlsReader data) {
        TlsReader list = data.vector16("server_name_list");
        while (list.hasRemaining()) {
            int nameType = list.u8("name_type");
            TlsReader name = list.vector16("host_name");
            if (nameType == 0 && serverName == null) {
                int keep = Math.min(name.remaining(), Limits.MAX_SERVER_NAME_LENGTH);
                truncated |= keep < name.remaining();
                serverName = name.latin1(keep, "host_name");
            }
        }
    }

    /** RFC 8446 4.2.8: (group, key_exchange) entries; the groups are kept, the keys skipped. */
    private void keyShares(TlsReader list) {
        List<Integer> out = new ArrayList<>(2);
        keyShareGroups = out;
        while (list.hasRemaining()) {
            int group = list.u16("key_share group");
            TlsReader key = list.vector16("key_exchange");
            key.skip(key.remaining(), "key_exchange");
            if (out.size() < Limits.MAX_GROUPS) {
                out.add(group);
            } else {
                truncated = true;
            }
        }
    }

    /** RFC 7301: a list of 1-byte-length protocol names. An empty name is kept (JA4 has a rule for it). */
    private void alpn(TlsReader list) {
        List<String> out = new ArrayList<>(Math.min(list.remaining() / 2 + 1, Limits.MAX_ALPN_PROTOCOLS));
        alpnProtocols = out;
        while (list.hasRemaining()) {
            TlsReader name = list.vector8("protocol_name");
            if (out.size() < Limits.MAX_ALPN_PROTOCOLS) {
                out.add(name.latin1(name.remaining(), "protocol_name"));
            } else {
                truncated = true;
            }
        }
    }

    static boolean isDtls(int version) {
        return version == 0xFEFF || version == 0xFEFD || version == 0xFEFC;
    }
}
