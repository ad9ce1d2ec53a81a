/**
 * Handshake anatomy: pure parsers for the TLS handshake messages the agent sees, and what can be derived
 * from them (JA3, JA3S and JA4 fingerprints, certificate summaries, weak-configuration findings).
 *
 * <p>Every parser takes a {@link java.nio.ByteBuffer} holding one handshake message body (without the 4-byte
 * handshake header), reads it from {@code position()} to {@code limit()} with absolute reads, and never moves
 * the buffer's position, limit or mark. Parsers never throw: a result says in {@code parseError()} what could
 * not be parsed and keeps what was read before. They never trust a length field beyond the bytes that are
 * there, and cap every list ({@link io.tlsagent.anatomy.Limits}), so what they allocate is bounded by the
 * input's size. Secrets and near-secrets (session IDs, tickets, PSK identities and binders, key shares,
 * randoms) are skipped, never copied: only their lengths are kept.
 *
 * <p>Everything here is immutable and thread-safe, and depends only on the JDK.
 */
package io.tlsagent.anatomy;
