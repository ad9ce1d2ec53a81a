package io.tlsagent.anatomy;

/**
 * Thrown inside the parsers when the input ends early or contradicts itself; always caught there and turned
 * into a {@code parseError}. No stack trace: it is control flow, and fuzzed input throws it a lot.
 */
final class Malformed extends RuntimeException {

    private static final long serialVersionUID = 1L;

    Malformed(String message) {
        super(message, null, false, false);
    }
}
