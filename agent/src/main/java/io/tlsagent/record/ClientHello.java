package io.tlsagent.record;

import java.util.Collections;
import java.util.List;

/**
 * What a ClientHello offered (parsed by {@code io.tlsagent.anatomy.ClientHelloParser}). Lists keep the wire order and keep
 * GREASE values (see {@link Grease}); fingerprints drop them. Absent numbers are -1, absent lists empty,
 * absent strings null. Session IDs, tickets and PSK identities and binders are never kept: only their lengths.
 */
public final class ClientHello {

    private final int legacyVersion;
    private final int sessionIdLength;
    private final List<Integer> cipherSuites;
    private final List<Integer> extensions;
    private final List<Integer> supportedVersions;
    private final List<Integer> supportedGroups;
    private final List<Integer> keyShareGroups;
    private final List<Integer> signatureAlgorithms;
    private final List<Integer> ecPointFormats;
    private final List<String> alpnProtocols;
    private final String serverName;
    private final int sessionTicketLength;
    private final int pskLength;
    private final boolean truncated;
    private final String parseError;

    private ClientHello(Builder b) {
        this.legacyVersion = b.legacyVersion;
        this.sessionIdLength = b.sessionIdLength;
        this.cipherSuites = freeze(b.cipherSuites);
        this.extensions = freeze(b.extensions);
        this.supportedVersions = freeze(b.supportedVersions);
        this.supportedGroups = freeze(b.supportedGroups);
        this.keyShareGroups = freeze(b.keyShareGroups);
        this.signatureAlgorithms = freeze(b.signatureAlgorithms);
        this.ecPointFormats = freeze(b.ecPointFormats);
        this.alpnProtocols = freeze(b.alpnProtocols);
        this.serverName = b.serverName;
        this.sessionTicketLength = b.sessionTicketLength;
        this.pskLength = b.pskLength;
        this.truncated = b.truncated;
        this.parseError = b.parseError;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** {@code legacy_version}, e.g. 0x0303 (also for TLS 1.3, which offers itself in supported_versions). */
    public int legacyVersion() {
        return legacyVersion;
    }

    /** Versions from supported_versions (extension 43), wire order, GREASE included; empty when absent. */
    public List<Integer> supportedVersions() {
        return supportedVersions;
    }

    /** Highest non-GREASE version offered: from supported_versions when present, else legacy_version. */
    public int highestVersion() {
        int best = -1;
        for (int v : supportedVersions) {
            if (!Grease.isGrease(v) && v > best) {
                best = v;
            }
        }
        return extensions.contains(43) ? best : legacyVersion;
    }

    public List<Integer> cipherSuites() {
        return cipherSuites;
    }

    /** Extension types in wire order, GREASE included. */
    public List<Integer> extensions() {
        return extensions;
    }

    /** supported_groups (extension 10). */
    public List<Integer> supportedGroups() {
        return supportedGroups;
    }

    /** The groups of the key shares it sent (TLS 1.3 key_share): a server preferring another asks again. */
    public List<Integer> keyShareGroups() {
        return keyShareGroups;
    }

    /** signature_algorithms (extension 13), wire order. */
    public List<Integer> signatureAlgorithms() {
        return signatureAlgorithms;
    }

    /** ec_point_formats (extension 11), one byte each. */
    public List<Integer> ecPointFormats() {
        return ecPointFormats;
    }

    /**
     * ALPN protocols offered (extension 16), wire order. Each byte is one char (ISO-8859-1), so a protocol
     * name that is not text still round-trips exactly.
     */
    public List<String> alpnProtocols() {
        return alpnProtocols;
    }

    /** The first host_name of the server_name extension (cut to a bounded length by the parser). */
    public String serverName() {
        return serverName;
    }

    /** Length of the legacy session ID offered; 0 when none. */
    public int sessionIdLength() {
        return sessionIdLength;
    }

    /** True if the session_ticket extension (35) was sent, empty or not. */
    public boolean sessionTicketOffered() {
        return sessionTicketLength >= 0;
    }

    /** Length of the ticket offered in extension 35: 0 means "I support tickets", -1 means no extension. */
    public int sessionTicketLength() {
        return sessionTicketLength;
    }

    /** True if a pre_shared_key extension (41) was offered (a TLS 1.3 resumption attempt). */
    public boolean pskOffered() {
        return pskLength >= 0;
    }

    /** Length of the pre_shared_key extension's data (identities and binders); -1 when absent. */
    public int pskLength() {
        return pskLength;
    }

    /** True if any list carried a GREASE value. */
    public boolean hasGrease() {
        return anyGrease(cipherSuites) || anyGrease(extensions) || anyGrease(supportedVersions)
                || anyGrease(supportedGroups) || anyGrease(signatureAlgorithms);
    }

    /** True if a list was longer than the parser's cap and was cut. */
    public boolean truncated() {
        return truncated;
    }

    /** What could not be parsed (the first problem met), or null when the whole message parsed. */
    public String parseError() {
        return parseError;
    }

    /**
     * This hello with another one's lengths of its per-connection parts (a ClientHello parsed once per kind of
     * client stands for each hello of that kind).
     */
    public ClientHello withConnectionLengths(int sessionIdLength, int sessionTicketLength, int pskLength) {
        return builder().legacyVersion(legacyVersion).sessionIdLength(sessionIdLength).cipherSuites(cipherSuites)
                .extensions(extensions).supportedVersions(supportedVersions).supportedGroups(supportedGroups)
                .keyShareGroups(keyShareGroups)
                .signatureAlgorithms(signatureAlgorithms).ecPointFormats(ecPointFormats).alpnProtocols(alpnProtocols)
                .serverName(serverName).sessionTicketLength(sessionTicketLength).pskLength(pskLength)
                .truncated(truncated).parseError(parseError).build();
    }

    @Override
    public String toString() {
        return "ClientHello{version=" + String.format("0x%04x", highestVersion()) + ", suites=" + cipherSuites.size()
                + ", extensions=" + extensions.size() + ", sni=" + serverName + ", alpn=" + alpnProtocols
                + (parseError == null ? "" : ", error=" + parseError) + "}";
    }

    private static <T> List<T> freeze(List<T> list) {
        return list.isEmpty() ? Collections.emptyList() : Collections.unmodifiableList(list);
    }

    private static boolean anyGrease(List<Integer> ids) {
        for (int id : ids) {
            if (Grease.isGrease(id)) {
                return true;
            }
        }
        return false;
    }

    /** Collects a ClientHello's values while a parser reads it; not thread-safe. */
    public static final class Builder {
        private int legacyVersion = -1;
        private int sessionIdLength = -1;
        private List<Integer> cipherSuites = Collections.emptyList();
        private List<Integer> extensions = Collections.emptyList();
        private List<Integer> supportedVersions = Collections.emptyList();
        private List<Integer> supportedGroups = Collections.emptyList();
        private List<Integer> keyShareGroups = Collections.emptyList();
        private List<Integer> signatureAlgorithms = Collections.emptyList();
        private List<Integer> ecPointFormats = Collections.emptyList();
        private List<String> alpnProtocols = Collections.emptyList();
        private String serverName;
        private int sessionTicketLength = -1;
        private int pskLength = -1;
        private boolean truncated;
        private String parseError;

        private Builder() {}

        public Builder legacyVersion(int v) { legacyVersion = v; return this; }
        public Builder sessionIdLength(int v) { sessionIdLength = v; return this; }
        public Builder cipherSuites(List<Integer> v) { cipherSuites = v; return this; }
        public Builder extensions(List<Integer> v) { extensions = v; return this; }
        public Builder supportedVersions(List<Integer> v) { supportedVersions = v; return this; }
        public Builder supportedGroups(List<Integer> v) { supportedGroups = v; return this; }
        public Builder keyShareGroups(List<Integer> v) { keyShareGroups = v; return this; }
        public Builder signatureAlgorithms(List<Integer> v) { signatureAlgorithms = v; return this; }
        public Builder ecPointFormats(List<Integer> v) { ecPointFormats = v; return this; }
        public Builder alpnProtocols(List<String> v) { alpnProtocols = v; return this; }
        public Builder serverName(String v) { serverName = v; return this; }
        public Builder sessionTicketLength(int v) { sessionTicketLength = v; return this; }
        public Builder pskLength(int v) { pskLength = v; return this; }
        public Builder truncated(boolean v) { truncated = v; return this; }
        public Builder parseError(String v) { parseError = v; return this; }

        public ClientHello build() {
            return new ClientHello(this);
        }
    }
}
