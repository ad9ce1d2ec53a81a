package io.tlsagent.record;

import java.util.Collections;
import java.util.List;

/**
 * What a ServerHello chose (parsed by {@code io.tlsagent.anatomy.ServerHelloParser}); also recognizes a TLS 1.3
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

    private ServerHello(Builder b) {
        this.legacyVersion = b.legacyVersion;
        this.selectedVersion = b.selectedVersion;
        this.cipherSuite = b.cipherSuite;
        this.compressionMethod = b.compressionMethod;
        this.sessionIdLength = b.sessionIdLength;
        this.extensions = b.extensions.isEmpty() ? Collections.emptyList()
                : Collections.unmodifiableList(b.extensions);
        this.keyShareGroup = b.keyShareGroup;
        this.alpnProtocol = b.alpnProtocol;
        this.helloRetryRequest = b.helloRetryRequest;
        this.truncated = b.truncated;
        this.parseError = b.parseError;
    }

    public static Builder builder() {
        return new Builder();
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
        return "ServerHello{version=" + String.format("0x%04x", version()) + ", cipher=" + String.format("0x%04x", cipherSuite)
                + ", extensions=" + extensions + (helloRetryRequest ? ", hrr" : "")
                + (parseError == null ? "" : ", error=" + parseError) + "}";
    }

    /** Collects a ServerHello's values while a parser reads it; not thread-safe. */
    public static final class Builder {
        private int legacyVersion = -1;
        private int selectedVersion = -1;
        private int cipherSuite = -1;
        private int compressionMethod = -1;
        private int sessionIdLength = -1;
        private List<Integer> extensions = Collections.emptyList();
        private int keyShareGroup = -1;
        private String alpnProtocol;
        private boolean helloRetryRequest;
        private boolean truncated;
        private String parseError;

        private Builder() {}

        public Builder legacyVersion(int v) { legacyVersion = v; return this; }
        public Builder selectedVersion(int v) { selectedVersion = v; return this; }
        public Builder cipherSuite(int v) { cipherSuite = v; return this; }
        public Builder compressionMethod(int v) { compressionMethod = v; return this; }
        public Builder sessionIdLength(int v) { sessionIdLength = v; return this; }
        public Builder extensions(List<Integer> v) { extensions = v; return this; }
        public Builder keyShareGroup(int v) { keyShareGroup = v; return this; }
        public Builder alpnProtocol(String v) { alpnProtocol = v; return this; }
        public Builder helloRetryRequest(boolean v) { helloRetryRequest = v; return this; }
        public Builder truncated(boolean v) { truncated = v; return this; }
        public Builder parseError(String v) { parseError = v; return this; }

        public ServerHello build() {
            return new ServerHello(this);
        }
    }
}
