package io.tlsagent.anatomy;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Hex rendering and the two digests the fingerprints use. */
final class Hex {

    private static final char[] DIGITS = "0123456789abcdef".toCharArray();

    /**
     * Text digests already computed: a client sends the same cipher and extension lists in every ClientHello, so
     * its JA3 and JA4 inputs repeat, and hashing them again was a visible part of the agent's cost per handshake.
     * Bounded: when full it starts over.
     */
    static final int MEMO_SIZE = 256;
    private static final Map<String, String> MD5 = new ConcurrentHashMap<>();
    private static final Map<String, String> SHA256 = new ConcurrentHashMap<>();

    private Hex() {}

    /** {@code 0x1301}: how unknown 16-bit code points are named. */
    static String id16(int value) {
        return "0x" + four(value);
    }

    /** Four lower-case hex digits, as JA4 lists code points. */
    static String four(int value) {
        return new String(new char[] {DIGITS[(value >> 12) & 0xF], DIGITS[(value >> 8) & 0xF],
                DIGITS[(value >> 4) & 0xF], DIGITS[value & 0xF]});
    }

    static String lower(byte[] bytes) {
        char[] out = new char[bytes.length * 2];
        for (int i = 0; i < bytes.length; i++) {
            out[2 * i] = DIGITS[(bytes[i] >> 4) & 0xF];
            out[2 * i + 1] = DIGITS[bytes[i] & 0xF];
        }
        return new String(out);
    }

    static String upper(byte[] bytes) {
        return lower(bytes).toUpperCase(java.util.Locale.ROOT);
    }

    /** Lower-case hex MD5 of the UTF-8 text; null where the JDK offers no MD5 (a strict FIPS setup). */
    static String md5(String text) {
        return memo(MD5, "MD5", text);
    }

    static String sha256(String text) {
        return memo(SHA256, "SHA-256", text);
    }

    private static String memo(Map<String, String> known, String algorithm, String text) {
        String hex = known.get(text);
        if (hex != null) {
            return hex;
        }
        byte[] d = digest(algorithm, text.getBytes(StandardCharsets.UTF_8));
        if (d == null) {
            return null;
        }
        hex = lower(d);
        if (known.size() >= MEMO_SIZE) {
            known.clear();
        }
        known.put(text, hex);
        return hex;
    }

    /** Null when the algorithm is missing: a fingerprint goes absent rather than failing its caller. */
    static byte[] digest(String algorithm, byte[] input) {
        try {
            return MessageDigest.getInstance(algorithm).digest(input);
        } catch (NoSuchAlgorithmException e) {
            return null;
        }
    }
}
