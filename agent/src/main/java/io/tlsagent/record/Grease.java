package io.tlsagent.record;

/**
 * GREASE (RFC 8701): reserved values of the form 0x?A?A that clients sprinkle into cipher suites, extensions,
 * groups, signature algorithms and versions so servers learn to ignore unknown values. Parsers keep them in
 * the raw lists; fingerprints drop them; names render them as {@code grease(0x1a1a)}.
 */
public final class Grease {

    private Grease() {}

    /** True for the sixteen 16-bit GREASE values 0x0A0A, 0x1A1A, ... 0xFAFA. */
    public static boolean isGrease(int value) {
        return (value & 0x0F0F) == 0x0A0A && ((value >> 8) & 0xFF) == (value & 0xFF);
    }
}
