package io.tlsagent.cli.report;

import java.util.ArrayList;
import java.util.List;

/** The fields of one JSON log line that the report uses; filled by {@link LineParser}, reused line after line. */
final class Handshake {

    long timestamp; // epoch milliseconds
    String role;
    boolean success;
    String version; // TLSv1.3, from tls.version_protocol and tls.version
    String cipher;
    String curve; // tls.curve, the key-exchange group
    String serverName;
    String clientAddress;
    String serverAddress;
    int serverPort = -1;
    String errorType;
    String errorMessage;
    String service;
    // From the ClientHello (tls_agent.client_hello, tls.client.supported_ciphers); absent when none was seen.
    String ja4;
    /** {@code tls_agent.client_hello.id}: the kind of ClientHello (summary and full lines). */
    String clientHelloId;
    String legacyVersion;
    final List<String> offeredVersions = new ArrayList<>();
    final List<String> offeredCiphers = new ArrayList<>();
    final List<String> offeredGroups = new ArrayList<>();
    /** Certificates, leaf and chain, of both sides. */
    final List<Certificate> certificates = new ArrayList<>();
    /** A summary line ({@code tls_agent.detail}): its chains are only named; a full line of their kind has them. */
    boolean summary;
    String peerChainId;
    String localChainId;
    /** The chains as a full line lists them, in order, for the summary lines that name them. */
    final List<Certificate> peerChain = new ArrayList<>();
    final List<Certificate> localChain = new ArrayList<>();

    /** One certificate as the log shows it. */
    static final class Certificate {
        String sha256;
        String subject;
        String notAfter;
        /** Who presented it: {@code server} or {@code client}. */
        String presenter;

        Certificate copy(String presenter) {
            Certificate c = new Certificate();
            c.sha256 = sha256;
            c.subject = subject;
            c.notAfter = notAfter;
            c.presenter = presenter;
            return c;
        }
    }

    void clear() {
        timestamp = Long.MIN_VALUE;
        role = null;
        success = false;
        version = null;
        cipher = null;
        curve = null;
        serverName = null;
        clientAddress = null;
        serverAddress = null;
        serverPort = -1;
        errorType = null;
        errorMessage = null;
        service = null;
        ja4 = null;
        clientHelloId = null;
        legacyVersion = null;
        offeredVersions.clear();
        offeredCiphers.clear();
        offeredGroups.clear();
        certificates.clear();
        summary = false;
        peerChainId = null;
        localChainId = null;
        peerChain.clear();
        localChain.clear();
    }

    boolean helloSeen() {
        return legacyVersion != null || !offeredVersions.isEmpty() || !offeredCiphers.isEmpty() || ja4 != null
                || clientHelloId != null;
    }

    /** Who presented a chain of this line's {@code peer} or {@code local} side: {@code server} or {@code client}. */
    String presenter(boolean peerSide) {
        return peerSide == "client".equals(role) ? "server" : "client";
    }

    /** Adds a certificate unless this line has it already (a leaf is also its chain's first). */
    void addCertificate(Certificate c) {
        if (c.sha256 == null || c.notAfter == null) {
            return;
        }
        for (Certificate known : certificates) {
            if (known.sha256.equals(c.sha256)) {
                return;
            }
        }
        certificates.add(c);
    }

    /** The other end of the connection: the client's address on a server, the server's address:port on a client. */
    String peer() {
        if ("server".equals(role)) {
            return clientAddress == null ? "(no address)" : clientAddress;
        }
        if (serverAddress == null) {
            return "(no address)";
        }
        return serverPort >= 0 ? serverAddress + ":" + serverPort : serverAddress;
    }
}
