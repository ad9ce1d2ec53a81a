package io.tlsagent.anatomy;

import java.nio.ByteBuffer;
import java.util.List;

/**
 * What a ServerHello chose, as parsed by {@link #parse(ByteBuffer)}; also recognizes a TLS 1.3
 * HelloRetryRequest, which is a ServerHello with a fixed random. Absent numbers are -1. The random, session ID
 * and key share are never kept.
 */
public final class ServerHello {

    private final int legacyVersion;
    private final int selectedVersion;
    private final int cipherSuite;
    private final int compressionMethod;
    private final int sessionIdLength;
    private final List<Integer> extensions;
    private final int keyShareGroup;
    private final String alpnProtocol;
    private final boolean helloRetryRequest;
    private final boolean truncated;
    private final String parseError;

    ServerHello(ServerHelloParser p) {
        this.legacyVersion = p.legacyVersion;
        this.selectedVersion = p.selectedVersion;
        this.cipherSuite = p.cipherSuite;
        this.compressionMethod = p.compressionMethod;
        this.sessionIdLength = p.sessionIdLength;
        this.extensions = ClientHello.freeze(p.extensions);
        this.keyShareGroup = p.keyShareGroup;
        this.alpnProtocol = p.alpnProtocol;
        this.helloRetryRequest = p.helloRetryRequest;
        this.truncated = p.truncated;
        this.parseError = p.error;
    }

    /**
     * Parses a ServerHello (or HelloRetryRequest) body, without the 4-byte handshake header, from the buffer's
     * position to its limit. Never throws, never moves the buffer.
     */
    public static ServerHello parse(ByteBuffer body) {
        return new ServerHelloParser().parse(body);
    }

    /** {@code legacy_version}: 0x0303 for TLS 1.2 and 1.3 alike. */
    public int legacyVersion() {
        return legacyVersion;
    }

    /** The supported_versions extension's selected_version (TLS 1.3), -1 when absent. */
    public int selectedVersion() {
        return selectedVersion;
    }

    /** The version the server chose: selected_version when present, else legacy_version. */
    public int version() {
        return selectedVersion >= 0 ? selectedVersion : legacyVersion;
    }

    public int cipherSuite() {
        return cipherSuite;
    }

    public String cipherSuiteName() {
        return cipherSuite < 0 ? null : CipherSuites.name(cipherSuite);
    }

    public int compressionMethod() {
        return compressionMethod;
    }

    public int sessionIdLength() {
        return sessionIdLength;
    }

    /** Extension types in wire order. */
    public List<Integer> extensions() {
        return extensions;
    }

    public List<String> extensionNames() {
        return ClientHello.names(extensions, TlsNames::extension);
    }

    /** The key_share group (TLS 1.3; in a HelloRetryRequest, the group the server asks for); -1 if absent. */
    public int keyShareGroup() {
        return keyShareGroup;
    }

    /** The ALPN protocol the server selected in this message (TLS 1.2; TLS 1.3 sends it encrypted), or null. */
    public String alpnProtocol() {
        return alpnProtocol;
    }

    /** True when the random is RFC 8446's HelloRetryRequest value: the server asks for a second ClientHello. */
    public boolean helloRetryRequest() {
        return helloRetryRequest;
    }

    public boolean truncated() {
        return truncated;
    }

    /** What could not be parsed (the first problem met), or null when the whole message parsed. */
    public String parseError() {
        return parseError;
    }

    @Override
    public String toString() {
        return "ServerHello{version=" + (version() < 0 ? "none" : TlsNames.version(version())) + ", cipher=" + cipherSuiteName()
                + ", extensions=" + extensions + (helloRetryRequest ? ", hrr" : "")
                + (parseError == null ? "" : ", error=" + parseError) + "}";
    }
}
