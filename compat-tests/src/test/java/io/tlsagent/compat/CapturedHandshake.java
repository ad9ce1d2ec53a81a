package io.tlsagent.compat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The plaintext handshake messages of one TCP connection as tshark dissected them ({@link Tshark#handshakes}):
 * its ClientHellos, ServerHellos (a HelloRetryRequest among them) and ServerKeyExchange, in the order sent. Numbers
 * are code points; nothing here uses the agent's code or names.
 */
final class CapturedHandshake {

    /** RFC 8446 4.1.3: a ServerHello with this random is a HelloRetryRequest (SHA-256 of "HelloRetryRequest"). */
    static final String HELLO_RETRY_RANDOM =
            "cf:21:ad:74:e5:9a:61:11:be:1d:8c:02:1e:65:b8:91:c2:a2:11:16:7a:bb:8c:5e:07:9e:09:e2:c8:a8:33:9c";

    final int clientPort;
    final List<ClientHello> clientHellos = new ArrayList<>();
    final List<ServerHello> serverHellos = new ArrayList<>();
    /** The named curve of a TLS 1.2 ECDHE ServerKeyExchange; null when none was seen. */
    Integer serverKeyExchangeCurve;

    CapturedHandshake(int clientPort) {
        this.clientPort = clientPort;
    }

    /** A message tshark dissected in a packet that ended a PDU of {@code segments} TCP segments. */
    void add(JsonNode message, int segments) {
        switch (Tshark.one(message, "tls.handshake.type")) {
            case "1":
                clientHellos.add(new ClientHello(message, segments));
                break;
            case "2":
                serverHellos.add(new ServerHello(message, segments));
                break;
            case "12":
                String curve = Tshark.one(message, "tls.handshake.server_named_curve");
                serverKeyExchangeCurve = curve == null ? null : Tshark.number(curve);
                break;
            default:
                // other messages of the same packets
        }
    }

    /** The first ClientHello: the one JA3 and JA4 tools fingerprint. */
    ClientHello firstClientHello() {
        if (clientHellos.isEmpty()) {
            throw new AssertionError("no ClientHello captured on client port " + clientPort);
        }
        return clientHellos.get(0);
    }

    /** The ServerHello that is not a HelloRetryRequest (the last one). */
    ServerHello serverHello() {
        List<ServerHello> real = serverHellos.stream().filter(h -> !h.helloRetryRequest).collect(Collectors.toList());
        if (real.size() != 1) {
            throw new AssertionError("expected one ServerHello on client port " + clientPort + ": " + serverHellos);
        }
        return real.get(0);
    }

    /** The HelloRetryRequest, or null. */
    ServerHello helloRetryRequest() {
        return serverHellos.stream().filter(h -> h.helloRetryRequest).findFirst().orElse(null);
    }

    /**
     * The key-exchange group negotiated: the final ServerHello's key_share (TLS 1.3), else the ServerKeyExchange's
     * named curve (TLS 1.2 ECDHE); null for neither.
     */
    Integer negotiatedGroup() {
        Integer share = serverHello().keyShareGroup;
        return share != null ? share : serverKeyExchangeCurve;
    }

    @Override
    public String toString() {
        return "client port " + clientPort + ": " + clientHellos + " " + serverHellos
                + (serverKeyExchangeCurve == null ? "" : " ske curve " + serverKeyExchangeCurve);
    }

    /** A ClientHello's fields, each extension's read from that extension's own subtree. */
    static final class ClientHello {
        final int legacyVersion;
        final List<Integer> cipherSuites;
        /** Extension types in the order sent. */
        final List<Integer> extensions = new ArrayList<>();
        final List<Integer> supportedGroups = new ArrayList<>();
        final List<Integer> keyShares = new ArrayList<>();
        final List<Integer> supportedVersions = new ArrayList<>();
        /** Of signature_algorithms (13) only, not of signature_algorithms_cert (50), in the order sent. */
        final List<Integer> signatureAlgorithms = new ArrayList<>();
        final List<String> alpn = new ArrayList<>();
        String serverName;
        final String ja3;
        final String ja3Full;
        /** The TCP segments it came in. */
        final int segments;

        ClientHello(JsonNode message, int segments) {
            this.segments = segments;
            legacyVersion = Tshark.number(Tshark.one(message, "tls.handshake.version"));
            cipherSuites = numbers(Tshark.all(message.path("tls.handshake.ciphersuites"),
                    "tls.handshake.ciphersuite"));
            for (JsonNode extension : extensions(message)) {
                int type = Integer.parseInt(Tshark.one(extension, "tls.handshake.extension.type"));
                extensions.add(type);
                switch (type) {
                    case 0:
                        serverName = Tshark.one(extension, "tls.handshake.extensions_server_name");
                        break;
                    case 10:
                        supportedGroups.addAll(numbers(Tshark.all(extension,
                                "tls.handshake.extensions_supported_group")));
                        break;
                    case 13:
                        signatureAlgorithms.addAll(numbers(Tshark.all(extension, "tls.handshake.sig_hash_alg")));
                        break;
                    case 16:
                        alpn.addAll(Tshark.all(extension, "tls.handshake.extensions_alpn_str"));
                        break;
                    case 43:
                        supportedVersions.addAll(numbers(Tshark.all(extension,
                                "tls.handshake.extensions.supported_version")));
                        break;
                    case 51:
                        keyShares.addAll(numbers(Tshark.all(extension, "tls.handshake.extensions_key_share_group")));
                        break;
                    default:
                        // not compared
                }
            }
            ja3 = message.path("tls.handshake.ja3").asText(null);
            ja3Full = message.path("tls.handshake.ja3_full").asText(null);
        }

        /**
         * JA4 (FoxIO's specification, TCP) of these fields: {@code t}, the highest supported_versions value (else
         * the legacy version), {@code d} with SNI or {@code i}, the counts of cipher suites and extensions (GREASE
         * left out, at most 99), the first and last characters of the first ALPN value; then the first 12 hex digits
         * of the SHA-256 of the sorted suites, and of the sorted extensions less SNI and ALPN, an underscore and the
         * signature algorithms in the order sent.
         */
        String ja4() throws Exception {
            List<Integer> suites = withoutGrease(cipherSuites);
            List<Integer> exts = withoutGrease(extensions);
            List<Integer> versions = withoutGrease(supportedVersions);
            int version = versions.isEmpty() ? legacyVersion : versions.stream().max(Integer::compare).get();
            String a = "t" + JA4_VERSIONS.getOrDefault(version, "00") + (exts.contains(0) ? "d" : "i")
                    + count(suites.size()) + count(exts.size()) + alpnChars();
            String b = suites.isEmpty() ? "000000000000" : sha12(hexList(suites.stream().sorted()
                    .collect(Collectors.toList())));
            List<Integer> sortedExts = exts.stream().filter(e -> e != 0 && e != 16).sorted()
                    .collect(Collectors.toList());
            List<Integer> sigs = withoutGrease(signatureAlgorithms);
            String c = sortedExts.isEmpty() ? "000000000000"
                    : sha12(hexList(sortedExts) + (sigs.isEmpty() ? "" : "_" + hexList(sigs)));
            return a + "_" + b + "_" + c;
        }

        private String alpnChars() {
            if (alpn.isEmpty() || alpn.get(0).isEmpty()) {
                return "00";
            }
            String first = alpn.get(0);
            char f = first.charAt(0);
            char l = first.charAt(first.length() - 1);
            if (alphanumeric(f) && alphanumeric(l)) {
                return "" + f + l;
            }
            StringBuilder hex = new StringBuilder();
            for (byte x : first.getBytes(StandardCharsets.ISO_8859_1)) {
                hex.append(String.format("%02x", x & 0xff));
            }
            return "" + hex.charAt(0) + hex.charAt(hex.length() - 1);
        }

        @Override
        public String toString() {
            return "ClientHello{groups=" + supportedGroups + ", shares=" + keyShares + ", ja3=" + ja3Full + "}";
        }
    }

    /** A ServerHello's fields (or a HelloRetryRequest's). */
    static final class ServerHello {
        final boolean helloRetryRequest;
        /** The key_share's group of a ServerHello; null in a HelloRetryRequest or without key_share. */
        final Integer keyShareGroup;
        /** The group a HelloRetryRequest asks for; null in a ServerHello. */
        final Integer selectedGroup;
        /** Extension types in the order sent. */
        final List<Integer> extensions = new ArrayList<>();
        final String ja3s;
        final String ja3sFull;
        /** The TCP segments it came in. */
        final int segments;

        ServerHello(JsonNode message, int segments) {
            this.segments = segments;
            for (JsonNode extension : extensions(message)) {
                extensions.add(Integer.parseInt(Tshark.one(extension, "tls.handshake.extension.type")));
            }
            helloRetryRequest = HELLO_RETRY_RANDOM.equals(Tshark.one(message, "tls.handshake.random"));
            String share = Tshark.one(message, "tls.handshake.extensions_key_share_group");
            keyShareGroup = share == null ? null : Tshark.number(share);
            String selected = Tshark.one(message, "tls.handshake.extensions_key_share_selected_group");
            selectedGroup = selected == null ? null : Tshark.number(selected);
            ja3s = message.path("tls.handshake.ja3s").asText(null);
            ja3sFull = message.path("tls.handshake.ja3s_full").asText(null);
        }

        @Override
        public String toString() {
            return (helloRetryRequest ? "HelloRetryRequest{selected=" + selectedGroup : "ServerHello{group="
                    + keyShareGroup) + ", ja3s=" + ja3sFull + "}";
        }
    }

    // ---- JA4's pieces

    private static final Map<Integer, String> JA4_VERSIONS = Map.of(0x0304, "13", 0x0303, "12", 0x0302, "11",
            0x0301, "10", 0x0300, "s3", 0x0002, "s2", 0xfeff, "d1", 0xfefd, "d2", 0xfefc, "d3");

    /** The extensions directly in a handshake message's tree: objects with a {@code tls.handshake.extension.type}. */
    private static List<JsonNode> extensions(JsonNode message) {
        List<JsonNode> out = new ArrayList<>();
        message.forEach(child -> {
            if (child.isObject() && child.has("tls.handshake.extension.type")) {
                out.add(child);
            } else if (child.isArray()) {
                child.forEach(c -> {
                    if (c.isObject() && c.has("tls.handshake.extension.type")) {
                        out.add(c);
                    }
                });
            }
        });
        return out;
    }

    private static List<Integer> numbers(List<String> values) {
        return values.stream().map(Tshark::number).collect(Collectors.toList());
    }

    /** RFC 8701: 0x0a0a, 0x1a1a, ... 0xfafa. */
    static boolean grease(int value) {
        return (value & 0x0f0f) == 0x0a0a && (value >> 8) == (value & 0xff);
    }

    private static List<Integer> withoutGrease(List<Integer> values) {
        return values.stream().filter(v -> !grease(v)).collect(Collectors.toList());
    }

    private static String count(int n) {
        return String.format("%02d", Math.min(n, 99));
    }

    private static boolean alphanumeric(char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    private static String hexList(List<Integer> values) {
        return values.stream().map(v -> String.format("%04x", v)).collect(Collectors.joining(","));
    }

    private static String sha12(String s) throws Exception {
        byte[] d = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.US_ASCII));
        StringBuilder hex = new StringBuilder();
        for (int i = 0; i < 6; i++) {
            hex.append(String.format("%02x", d[i] & 0xff));
        }
        return hex.toString();
    }
}
