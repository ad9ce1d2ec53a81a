package io.tlsagent.anatomy;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.IntFunction;

/**
 * What a ClientHello offered, as parsed by {@link #parse(ByteBuffer)}. Lists keep the wire order and keep
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
    private final List<Integer> signatureAlgorithms;
    private final List<Integer> ecPointFormats;
    private final List<String> alpnProtocols;
    private final String serverName;
    private final int sessionTicketLength;
    private final int pskLength;
    private final boolean truncated;
    private final String parseError;

    ClientHello(ClientHelloParser p) {
        this.legacyVersion = p.legacyVersion;
        this.sessionIdLength = p.sessionIdLength;
        this.cipherSuites = freeze(p.cipherSuites);
        this.extensions = freeze(p.extensions);
        this.supportedVersions = freeze(p.supportedVersions);
        this.supportedGroups = freeze(p.supportedGroups);
        this.signatureAlgorithms = freeze(p.signatureAlgorithms);
        this.ecPointFormats = freeze(p.ecPointFormats);
        this.alpnProtocols = freeze(p.alpnProtocols);
        this.serverName = p.serverName;
        this.sessionTicketLength = p.sessionTicketLength;
        this.pskLength = p.pskLength;
        this.truncated = p.truncated;
        this.parseError = p.error;
    }

    /**
     * Parses a ClientHello body (the handshake message without its 4-byte header, starting at
     * {@code legacy_version}) from the buffer's position to its limit. Never throws, never moves the buffer.
     */
    public static ClientHello parse(ByteBuffer body) {
        return new ClientHelloParser().parse(body);
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

    /** The first host_name of the server_name extension (at most {@link Limits#MAX_SERVER_NAME_LENGTH}). */
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

    /** True if a list was longer than its cap in {@link Limits} and was cut. */
    public boolean truncated() {
        return truncated;
    }

    /** What could not be parsed (the first problem met), or null when the whole message parsed. */
    public String parseError() {
        return parseError;
    }

    public List<String> supportedVersionNames() {
        return names(supportedVersions, TlsNames::version);
    }

    public List<String> cipherSuiteNames() {
        return names(cipherSuites, CipherSuites::name);
    }

    public List<String> extensionNames() {
        return names(extensions, TlsNames::extension);
    }

    public List<String> supportedGroupNames() {
        return names(supportedGroups, TlsNames::group);
    }

    public List<String> signatureAlgorithmNames() {
        return names(signatureAlgorithms, TlsNames::signatureScheme);
    }

    @Override
    public String toString() {
        int version = highestVersion();
        return "ClientHello{version=" + (version < 0 ? "none" : TlsNames.version(version)) + ", suites=" + cipherSuites.size()
                + ", extensions=" + extensions.size() + ", sni=" + serverName + ", alpn=" + alpnProtocols
                + (parseError == null ? "" : ", error=" + parseError) + "}";
    }

    static List<String> names(List<Integer> ids, IntFunction<String> namer) {
        List<String> out = new ArrayList<>(ids.size());
        for (int id : ids) {
            out.add(namer.apply(id));
        }
        return Collections.unmodifiableList(out);
    }

    static <T> List<T> freeze(List<T> list) {
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
}
