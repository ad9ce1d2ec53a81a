package io.tlsagent.anatomy;

import io.tlsagent.record.ClientHello;
import io.tlsagent.record.Grease;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * JA4, the TLS client fingerprint of FoxIO (BSD-3-Clause; only this method, not the rest of JA4+), exactly as
 * its specification (technical_details/JA4.md) defines it, e.g. {@code t13d1516h2_8daaf6152771_e5627efa2ab1}:
 *
 * <ul>
 *   <li>a: transport ({@code t} TCP, {@code q} QUIC, {@code d} DTLS); version (highest non-GREASE value of
 *       supported_versions if that extension is present, else legacy_version; {@code 13}, {@code 12},
 *       {@code 11}, {@code 10}, {@code s3}, {@code s2}, {@code d1}, {@code d2}, {@code d3}, else {@code 00});
 *       {@code d} if the server_name extension is present else {@code i}; two-digit counts of cipher suites
 *       and of extensions, GREASE excluded, at most 99; first and last character of the first ALPN value
 *       ({@code 00} if none or empty; when its first or last byte is not an ASCII letter or digit, the first
 *       and last character of the value in hex instead).</li>
 *   <li>b: SHA-256 of the non-GREASE cipher suites as 4-digit lower-case hex, sorted, comma-joined; first 12
 *       hex characters; {@code 000000000000} when there are none.</li>
 *   <li>c: SHA-256 of the non-GREASE extensions minus server_name (0) and ALPN (16), sorted, then, if any,
 *       {@code _} and the non-GREASE signature algorithms in wire order; first 12 hex characters;
 *       {@code 000000000000} when the extension list is empty.</li>
 * </ul>
 *
 * The raw ({@code _r}) forms show the lists instead of their hashes; the original-order ({@code _o}) forms
 * keep the wire order and keep server_name and ALPN in the extension list, as the specification's
 * "Raw Output" section describes. A hello that did not parse gives the fingerprint of what was read; check
 * {@code parseError()} first.
 */
public final class Ja4 {

    /** The transport the ClientHello travelled on: JA4's first character. */
    public enum Transport {
        TCP('t'), QUIC('q'), DTLS('d');

        private final char code;

        Transport(char code) {
            this.code = code;
        }

        public char code() {
            return code;
        }
    }

    private static final String EMPTY_HASH = "000000000000";
    private static final int SERVER_NAME = 0x0000;
    private static final int ALPN = 0x0010;

    private Ja4() {}

    /** JA4 of a ClientHello sent over TCP. */
    public static String fingerprint(ClientHello hello) {
        return fingerprint(hello, Transport.TCP);
    }

    /** {@code ja4}: sorted lists, hashed. */
    public static String fingerprint(ClientHello hello, Transport transport) {
        return build(hello, transport, true, true);
    }

    /** {@code ja4_r}: sorted lists, shown rather than hashed. */
    public static String raw(ClientHello hello, Transport transport) {
        return build(hello, transport, true, false);
    }

    /** {@code ja4_o}: wire order, hashed. */
    public static String originalOrder(ClientHello hello, Transport transport) {
        return build(hello, transport, false, true);
    }

    /** {@code ja4_ro}: wire order, shown rather than hashed. */
    public static String rawOriginalOrder(ClientHello hello, Transport transport) {
        return build(hello, transport, false, false);
    }

    private static String build(ClientHello hello, Transport transport, boolean sorted, boolean hashed) {
        List<Integer> ciphers = withoutGrease(hello.cipherSuites());
        List<Integer> extensions = withoutGrease(hello.extensions());
        List<Integer> signatures = withoutGrease(hello.signatureAlgorithms());

        StringBuilder a = new StringBuilder(10);
        a.append(transport.code());
        a.append(version(hello.highestVersion()));
        a.append(extensions.contains(SERVER_NAME) ? 'd' : 'i');
        a.append(twoDigits(ciphers.size()));
        a.append(twoDigits(extensions.size()));
        a.append(alpn(hello.alpnProtocols()));

        List<Integer> extensionPart = extensions;
        if (sorted) {
            extensionPart = new ArrayList<>(extensions.size());
            for (int e : extensions) {
                if (e != SERVER_NAME && e != ALPN) {
                    extensionPart.add(e);
                }
            }
            Collections.sort(extensionPart);
            Collections.sort(ciphers);
        }
        String b = hexList(ciphers);
        String c = hexList(extensionPart);
        if (!signatures.isEmpty()) {
            c = c + "_" + hexList(signatures);
        }
        if (hashed) {
            b = ciphers.isEmpty() ? EMPTY_HASH : hash12(b);
            c = extensionPart.isEmpty() ? EMPTY_HASH : hash12(c);
        }
        return a + "_" + b + "_" + c;
    }

    /** The spec's version table; anything else (an unknown or draft version, or none) is "00". */
    static String version(int v) {
        switch (v) {
            case 0x0304: return "13";
            case 0x0303: return "12";
            case 0x0302: return "11";
            case 0x0301: return "10";
            case 0x0300: return "s3";
            case 0x0002: return "s2";
            case 0xFEFF: return "d1";
            case 0xFEFD: return "d2";
            case 0xFEFC: return "d3";
            default: return "00";
        }
    }

    /**
     * First and last character of the first ALPN value; "00" when there is none or it is empty; a single
     * character counts as both; if the first or last byte is not ASCII alphanumeric, the first and last
     * character of the value's hex form ({@code 0xAB 0xCD} gives "ad").
     */
    static String alpn(List<String> protocols) {
        if (protocols.isEmpty() || protocols.get(0).isEmpty()) {
            return "00";
        }
        String first = protocols.get(0);
        char head = first.charAt(0);
        char tail = first.charAt(first.length() - 1);
        if (isAlphanumeric(head) && isAlphanumeric(tail)) {
            return new String(new char[] {head, tail});
        }
        // The value holds one byte per char (ISO-8859-1): its hex form starts with the high nibble of the
        // first byte and ends with the low nibble of the last.
        return new String(new char[] {Character.forDigit((head >> 4) & 0xF, 16), Character.forDigit(tail & 0xF, 16)});
    }

    private static boolean isAlphanumeric(char c) {
        return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
    }

    private static String twoDigits(int n) {
        int capped = Math.min(n, 99);
        return capped < 10 ? "0" + capped : Integer.toString(capped);
    }

    private static List<Integer> withoutGrease(List<Integer> values) {
        List<Integer> out = new ArrayList<>(values.size());
        for (int v : values) {
            if (!Grease.isGrease(v)) {
                out.add(v);
            }
        }
        return out;
    }

    private static String hexList(List<Integer> values) {
        StringBuilder sb = new StringBuilder(values.size() * 5);
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) {
                sb.append(',');
            }
            sb.append(Hex.four(values.get(i)));
        }
        return sb.toString();
    }

    /** First 12 hex characters of SHA-256; SHA-256 is on every Java SE platform. */
    private static String hash12(String s) {
        String h = Hex.sha256(s);
        return h == null ? EMPTY_HASH : h.substring(0, 12);
    }
}
