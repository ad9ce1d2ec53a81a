package io.tlsagent.export.ecs;

import com.fasterxml.jackson.core.JsonGenerator;
import io.tlsagent.anatomy.TlsNames;
import io.tlsagent.record.CertificateInfo;
import io.tlsagent.record.ClientHello;
import io.tlsagent.record.Finding;
import io.tlsagent.record.HandshakeAnatomy;
import java.io.IOException;
import java.util.List;

/**
 * The anatomy parts of a JSON line: ECS fields under {@code tls.client}/{@code tls.server}, and the rest under
 * {@code tls_agent}. Every string goes through {@link EcsJson#clean}, since most come from the network.
 */
final class AnatomyJson {

    private AnatomyJson() {}

    /** Inside {@code tls.client} or {@code tls.server}: fingerprints, offered suites, leaf x509, chain. */
    static void writeEcsSide(JsonGenerator g, HandshakeAnatomy a, boolean clientSide, List<CertificateInfo> chain)
            throws IOException {
        if (clientSide) {
            EcsJson.string(g, "ja3", a.ja3Md5());
            ClientHello hello = a.clientHello();
            if (hello != null) {
                strings(g, "supported_ciphers", TlsNames.cipherSuites(hello.cipherSuites()));
            }
        } else {
            EcsJson.string(g, "ja3s", a.ja3sMd5());
        }
        if (!chain.isEmpty()) {
            g.writeArrayFieldStart("certificate_chain");
            for (CertificateInfo c : chain) {
                g.writeString(c.sha256());
            }
            g.writeEndArray();
            CertificateInfo leaf = chain.get(0);
            g.writeObjectFieldStart("x509");
            EcsJson.string(g, "serial_number", leaf.serialNumber());
            g.writeObjectFieldStart("subject");
            EcsJson.string(g, "distinguished_name", leaf.subject());
            g.writeEndObject();
            g.writeObjectFieldStart("issuer");
            EcsJson.string(g, "distinguished_name", leaf.issuer());
            g.writeEndObject();
            EcsJson.instant(g, "not_before", leaf.notBefore());
            EcsJson.instant(g, "not_after", leaf.notAfter());
            strings(g, "alternative_names", leaf.subjectAltNames());
            EcsJson.string(g, "public_key_algorithm", leaf.keyAlgorithm());
            if (leaf.keySize() > 0) {
                g.writeNumberField("public_key_size", leaf.keySize());
            }
            EcsJson.string(g, "signature_algorithm", leaf.signatureAlgorithm());
            g.writeEndObject();
        }
    }

    /** Inside {@code tls_agent} of a summary line: the names of the hello and chains, JA4, findings. */
    static void writeAgentSummary(JsonGenerator g, HandshakeAnatomy a) throws IOException {
        if (a.clientHello() != null) {
            g.writeObjectFieldStart("client_hello");
            EcsJson.string(g, "id", a.clientHelloId());
            EcsJson.string(g, "ja4", a.ja4());
            g.writeEndObject();
        }
        helloRetryRequest(g, a);
        chainIds(g, a);
        findings(g, a);
    }

    private static void chainIds(JsonGenerator g, HandshakeAnatomy a) throws IOException {
        EcsJson.string(g, "peer_chain_id", a.peerChainId());
        EcsJson.string(g, "local_chain_id", a.localChainId());
    }

    private static void findings(JsonGenerator g, HandshakeAnatomy a) throws IOException {
        if (!a.findings().isEmpty()) {
            g.writeArrayFieldStart("findings");
            for (Finding f : Finding.values()) { // in the enum's order, so lines compare easily
                if (a.findings().contains(f)) {
                    g.writeString(f.label());
                }
            }
            g.writeEndArray();
        }
    }

    /** The group a HelloRetryRequest asked for: a round trip more, on summary and full lines. */
    private static void helloRetryRequest(JsonGenerator g, HandshakeAnatomy a) throws IOException {
        if (a.helloRetryGroup() != null) {
            g.writeObjectFieldStart("hello_retry_request");
            EcsJson.string(g, "group", a.helloRetryGroup());
            g.writeEndObject();
        }
    }

    /** Inside {@code tls_agent}. */
    static void writeAgentFields(JsonGenerator g, HandshakeAnatomy a) throws IOException {
        ClientHello hello = a.clientHello();
        if (hello != null) {
            g.writeObjectFieldStart("client_hello");
            EcsJson.string(g, "id", a.clientHelloId());
            EcsJson.string(g, "legacy_version", TlsNames.version(hello.legacyVersion()));
            strings(g, "versions", TlsNames.versions(hello.supportedVersions()));
            strings(g, "cipher_suites", TlsNames.cipherSuites(hello.cipherSuites()));
            strings(g, "extensions", TlsNames.extensions(hello.extensions()));
            strings(g, "groups", TlsNames.groups(hello.supportedGroups()));
            strings(g, "key_share_groups", TlsNames.groups(hello.keyShareGroups()));
            strings(g, "signature_algorithms", TlsNames.signatureSchemes(hello.signatureAlgorithms()));
            strings(g, "alpn", hello.alpnProtocols());
            EcsJson.string(g, "server_name", hello.serverName());
            g.writeNumberField("session_id_length", hello.sessionIdLength());
            g.writeObjectFieldStart("session_ticket");
            g.writeBooleanField("offered", hello.sessionTicketOffered());
            g.writeNumberField("length", hello.sessionTicketLength());
            g.writeEndObject();
            g.writeObjectFieldStart("psk");
            g.writeBooleanField("offered", hello.pskOffered());
            g.writeNumberField("length", hello.pskLength());
            g.writeEndObject();
            EcsJson.string(g, "ja3", a.ja3());
            EcsJson.string(g, "ja4", a.ja4());
            g.writeEndObject();
        }
        if (a.ja3s() != null) {
            g.writeObjectFieldStart("server_hello");
            EcsJson.string(g, "ja3s", a.ja3s());
            strings(g, "extensions", TlsNames.extensions(a.serverHello().extensions()));
            g.writeEndObject();
        }
        helloRetryRequest(g, a);
        if (a.peerSignatureScheme() != null || a.localSignatureScheme() != null) {
            g.writeObjectFieldStart("signature_scheme");
            EcsJson.string(g, "peer", a.peerSignatureScheme());
            EcsJson.string(g, "local", a.localSignatureScheme());
            g.writeEndObject();
        }
        if (a.trustCheckNanos() >= 0) {
            g.writeObjectFieldStart("trust_check");
            g.writeNumberField("duration_us", a.trustCheckNanos() / 1000);
            g.writeStringField("result", a.trustCheckFailed() ? "failure" : "success");
            g.writeEndObject();
        }
        chainIds(g, a);
        chain(g, "peer_chain", a.peerChain());
        chain(g, "local_chain", a.localChain());
        findings(g, a);
        strings(g, "parse_errors", a.parseErrors());
    }

    private static void chain(JsonGenerator g, String field, List<CertificateInfo> chain) throws IOException {
        if (chain.isEmpty()) {
            return;
        }
        g.writeArrayFieldStart(field);
        for (CertificateInfo c : chain) {
            g.writeStartObject();
            EcsJson.string(g, "subject", c.subject());
            EcsJson.string(g, "issuer", c.issuer());
            EcsJson.string(g, "serial_number", c.serialNumber());
            strings(g, "alternative_names", c.subjectAltNames());
            EcsJson.instant(g, "not_before", c.notBefore());
            EcsJson.instant(g, "not_after", c.notAfter());
            EcsJson.string(g, "public_key_algorithm", c.keyAlgorithm());
            if (c.keySize() > 0) {
                g.writeNumberField("public_key_size", c.keySize());
            }
            EcsJson.string(g, "signature_algorithm", c.signatureAlgorithm());
            EcsJson.string(g, "sha256", c.sha256());
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    private static void strings(JsonGenerator g, String field, List<String> values) throws IOException {
        if (values == null || values.isEmpty()) {
            return;
        }
        g.writeArrayFieldStart(field);
        for (String v : values) {
            g.writeString(EcsJson.clean(v));
        }
        g.writeEndArray();
    }
}
