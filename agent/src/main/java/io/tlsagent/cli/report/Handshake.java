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
    String legacyVersion;
    final List<String> offeredVersions = new ArrayList<>();
    final List<String> offeredCiphers = new ArrayList<>();
    final List<String> offeredGroups = new ArrayList<>();
    /** Certificates, leaf and chain, of both sides. */
    final List<Certificate> certificates = new ArrayList<>();

    /** One certificate as the log shows it. */
    static final class Certificate {
        String sha256;
        String subject;
        String notAfter;
        /** Who presented it: {@code server} or {@code client}. */
        String presenter;
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
        legacyVersion = null;
        offeredVersions.clear();
        offeredCiphers.clear();
        offeredGroups.clear();
        certificates.clear();
    }

    boolean helloSeen() {
        return legacyVersion != null || !offeredVersions.isEmpty() || !offeredCiphers.isEmpty() || ja4 != null;
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
