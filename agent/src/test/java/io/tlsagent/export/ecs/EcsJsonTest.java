package io.tlsagent.export.ecs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tlsagent.anatomy.Certificates;
import io.tlsagent.record.Api;
import io.tlsagent.record.CertificateInfo;
import io.tlsagent.record.ErrorType;
import io.tlsagent.record.HandshakeRecord;
import io.tlsagent.record.Resumption;
import io.tlsagent.record.Role;
import io.tlsagent.testsupport.TestCertificates;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import javax.security.auth.x500.X500Principal;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class EcsJsonTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Instant TS = Instant.parse("2025-03-04T05:06:07.123456789Z");
    private static final Instant NOT_BEFORE = Instant.parse("2025-01-01T00:00:00Z");
    private static final Instant NOT_AFTER = Instant.parse("2026-01-01T00:00:00Z");
    private static final BigInteger SERIAL = new BigInteger("0ABCDEF0123456789", 16);

    private static X509Certificate certificate;
    private static CertificateInfo peer;

    private final EcsJson ecs = new EcsJson("orders", 4242L);

    @BeforeAll
    static void makeCertificate() throws Exception {
        KeyPair keys = TestCertificates.ec("secp256r1");
        certificate = TestCertificates.certificate("O=Acme,CN=api.example.com", keys.getPublic(), "O=Acme,CN=Test CA",
                keys.getPrivate(), "SHA256withECDSA", SERIAL, NOT_BEFORE, NOT_AFTER, false);
        peer = Certificates.summary(certificate);
        // Bouncy Castle keeps the RDNs in string order; RFC 2253 prints the last RDN first.
        assertThat(certificate.getSubjectX500Principal().getName(X500Principal.RFC2253))
                .isEqualTo("CN=api.example.com,O=Acme");
    }

    private static HandshakeRecord.Builder success(Role role) {
        return HandshakeRecord.builder()
                .timestamp(TS)
                .role(role)
                .api(Api.SSL_SOCKET)
                .provider("SunJSSE")
                .protocol("TLSv1.3")
                .cipherSuite("TLS_AES_128_GCM_SHA256")
                .namedGroup("x25519")
                .resumed(false)
                .resumption(Resumption.NONE)
                .durationNanos(1_234_567L)
                .localAddress("10.0.0.1")
                .localPort(50000)
                .peerAddress("10.0.0.2")
                .peerPort(443)
                .serverName("api.example.com")
                .applicationProtocol("h2")
                .peerCertificate(peer)
                .threadName("main");
    }

    private String write(HandshakeRecord r) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ecs.write(r, out);
        return new String(out.toByteArray(), StandardCharsets.UTF_8);
    }

    /** Exactly one line ending in '\n', and valid JSON (one object, nothing after it). */
    private static JsonNode parseOneLine(String line) throws Exception {
        assertThat(line).endsWith("\n");
        assertThat(line.indexOf('\n')).isEqualTo(line.length() - 1);
        assertThat(line).doesNotContain("\r");
        JsonNode node = MAPPER.readTree(line);
        assertThat(node.isObject()).isTrue();
        // readTree ignores trailing content by default; make sure there is none.
        assertThat(MAPPER.readerFor(JsonNode.class).readValues(line).readAll()).hasSize(1);
        return node;
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        for (Iterator<String> it = node.fieldNames(); it.hasNext();) {
            names.add(it.next());
        }
        return names;
    }

    // ---- the ECS fields ----

    @Test
    void clientSuccessHasAllEcsFields() throws Exception {
        JsonNode j = parseOneLine(write(success(Role.CLIENT).build()));

        assertThat(j.path("@timestamp").asText()).isEqualTo("2025-03-04T05:06:07.123456789Z");
        assertThat(Instant.parse(j.path("@timestamp").asText())).isEqualTo(TS);
        assertThat(j.path("ecs").path("version").asText()).isEqualTo(EcsJson.ECS_VERSION);

        JsonNode event = j.path("event");
        assertThat(event.path("kind").asText()).isEqualTo("event");
        assertThat(event.path("category").isArray()).isTrue();
        assertThat(event.path("category")).hasSize(1);
        assertThat(event.path("category").get(0).asText()).isEqualTo("network");
        assertThat(event.path("type").isArray()).isTrue();
        assertThat(event.path("type")).hasSize(1);
        assertThat(event.path("type").get(0).asText()).isEqualTo("connection");
        assertThat(event.path("action").asText()).isEqualTo("tls-handshake");
        assertThat(event.path("outcome").asText()).isEqualTo("success");
        assertThat(event.path("duration").isIntegralNumber()).isTrue();
        assertThat(event.path("duration").asLong()).isEqualTo(1_234_567L);

        JsonNode tls = j.path("tls");
        assertThat(tls.path("version_protocol").asText()).isEqualTo("tls");
        assertThat(tls.path("version").asText()).isEqualTo("1.3");
        assertThat(tls.path("cipher").asText()).isEqualTo("TLS_AES_128_GCM_SHA256");
        assertThat(tls.path("curve").asText()).isEqualTo("x25519");
        assertThat(tls.path("resumed").isBoolean()).isTrue();
        assertThat(tls.path("resumed").asBoolean()).isFalse();
        assertThat(tls.path("established").isBoolean()).isTrue();
        assertThat(tls.path("established").asBoolean()).isTrue();
        assertThat(tls.path("next_protocol").asText()).isEqualTo("h2");
        assertThat(tls.path("client").path("server_name").asText()).isEqualTo("api.example.com");
        assertThat(fieldNames(tls.path("client"))).containsExactly("server_name");

        assertThat(j.has("error")).isFalse();
        assertThat(j.path("service").path("name").asText()).isEqualTo("orders");
        assertThat(j.path("process").path("pid").isIntegralNumber()).isTrue();
        assertThat(j.path("process").path("pid").asLong()).isEqualTo(4242L);
        assertThat(j.path("process").path("thread").path("name").asText()).isEqualTo("main");

        JsonNode agent = j.path("tls_agent");
        assertThat(agent.path("role").asText()).isEqualTo("client");
        assertThat(agent.path("api").asText()).isEqualTo("SSLSocket");
        assertThat(agent.path("provider").asText()).isEqualTo("SunJSSE");
        assertThat(agent.path("resumption").asText()).isEqualTo("none");
        assertThat(agent.has("alert")).isFalse();
    }

    @Test
    void clientRoleReportsCertificateInfoUnderTlsServer() throws Exception {
        JsonNode tls = parseOneLine(write(success(Role.CLIENT).build())).path("tls");

        JsonNode server = tls.path("server");
        assertThat(server.path("subject").asText()).isEqualTo("CN=api.example.com,O=Acme");
        assertThat(server.path("issuer").asText()).isEqualTo("CN=Test CA,O=Acme");
        assertThat(server.path("not_before").asText()).isEqualTo("2025-01-01T00:00:00Z");
        assertThat(server.path("not_after").asText()).isEqualTo("2026-01-01T00:00:00Z");
        assertThat(server.path("hash").path("sha256").asText()).isEqualTo(sha256Hex(certificate.getEncoded()));
        assertThat(server.path("x509").path("serial_number").asText()).isEqualTo("ABCDEF0123456789");
        // Nothing of the certificate leaks into tls.client.
        assertThat(fieldNames(tls.path("client"))).containsExactly("server_name");
    }

    @Test
    void serverRoleReportsCertificateInfoUnderTlsClient() throws Exception {
        JsonNode tls = parseOneLine(write(success(Role.SERVER).build())).path("tls");

        assertThat(tls.has("server")).isFalse();
        JsonNode client = tls.path("client");
        assertThat(client.path("server_name").asText()).isEqualTo("api.example.com");
        assertThat(client.path("subject").asText()).isEqualTo("CN=api.example.com,O=Acme");
        assertThat(client.path("issuer").asText()).isEqualTo("CN=Test CA,O=Acme");
        assertThat(client.path("not_before").asText()).isEqualTo("2025-01-01T00:00:00Z");
        assertThat(client.path("not_after").asText()).isEqualTo("2026-01-01T00:00:00Z");
        assertThat(client.path("hash").path("sha256").asText()).isEqualTo(sha256Hex(certificate.getEncoded()));
        assertThat(client.path("x509").path("serial_number").asText()).isEqualTo("ABCDEF0123456789");
    }

    @Test
    void serverRoleWithClientCertificateButNoSni() throws Exception {
        JsonNode tls = parseOneLine(write(success(Role.SERVER).serverName(null).build())).path("tls");

        assertThat(tls.path("client").has("server_name")).isFalse();
        assertThat(tls.path("client").path("subject").asText()).isEqualTo("CN=api.example.com,O=Acme");
    }

    @Test
    void noCertificateAndNoSniMeansNoTlsClientOrServer() throws Exception {
        for (Role role : Role.values()) {
            JsonNode tls = parseOneLine(write(success(role).peerCertificate(null).serverName(null).build()))
                    .path("tls");
            assertThat(tls.has("client")).as(role.name()).isFalse();
            assertThat(tls.has("server")).as(role.name()).isFalse();
        }
    }

    @Test
    void clientRoleEndpoints() throws Exception {
        JsonNode j = parseOneLine(write(success(Role.CLIENT).peerDomain("api.example.com").build()));

        assertThat(j.path("client").path("address").asText()).isEqualTo("10.0.0.1");
        assertThat(j.path("client").path("ip").asText()).isEqualTo("10.0.0.1");
        assertThat(j.path("client").path("port").asInt()).isEqualTo(50000);
        assertThat(fieldNames(j.path("client"))).containsExactly("address", "ip", "port");
        assertThat(j.path("server").path("address").asText()).isEqualTo("10.0.0.2");
        assertThat(j.path("server").path("ip").asText()).isEqualTo("10.0.0.2");
        assertThat(j.path("server").path("port").asInt()).isEqualTo(443);
        assertThat(j.path("server").path("domain").asText()).isEqualTo("api.example.com");
    }

    @Test
    void aPeerKnownOnlyByNameHasADomainAndNoAddress() throws Exception {
        JsonNode j = parseOneLine(write(success(Role.CLIENT).localAddress(null).localPort(-1).peerAddress(null)
                .peerPort(443).peerDomain("api.example.com").build()));

        assertThat(j.has("client")).isFalse();
        assertThat(fieldNames(j.path("server"))).containsExactly("port", "domain");
    }

    @Test
    void anIpv6PeerIsWrittenAsTheJdkGivesIt() throws Exception {
        JsonNode j = parseOneLine(write(success(Role.SERVER).peerAddress("0:0:0:0:0:0:0:1").peerPort(50000)
                .localAddress("0:0:0:0:0:0:0:1").localPort(443).build()));

        assertThat(j.path("client").path("ip").asText()).isEqualTo("0:0:0:0:0:0:0:1");
        assertThat(j.path("client").path("address").asText()).isEqualTo("0:0:0:0:0:0:0:1");
    }

    @Test
    void serverRoleEndpointsSwap() throws Exception {
        JsonNode j = parseOneLine(write(success(Role.SERVER)
                .localAddress("10.0.0.2").localPort(443).peerAddress("10.0.0.1").peerPort(50000).build()));

        assertThat(j.path("client").path("address").asText()).isEqualTo("10.0.0.1");
        assertThat(j.path("client").path("port").asInt()).isEqualTo(50000);
        assertThat(j.path("server").path("address").asText()).isEqualTo("10.0.0.2");
        assertThat(j.path("server").path("port").asInt()).isEqualTo(443);
        assertThat(j.path("tls_agent").path("role").asText()).isEqualTo("server");
    }

    @Test
    void unknownEndpointsAreOmitted() throws Exception {
        JsonNode j = parseOneLine(write(success(Role.CLIENT).localAddress(null).localPort(-1).peerAddress(null)
                .peerPort(-1).build()));

        assertThat(j.has("client")).isFalse();
        assertThat(j.has("server")).isFalse();
    }

    @Test
    void addressWithoutPort() throws Exception {
        JsonNode j = parseOneLine(write(success(Role.CLIENT).peerPort(-1).build()));

        assertThat(j.path("server").path("address").asText()).isEqualTo("10.0.0.2");
        assertThat(j.path("server").has("port")).isFalse();
    }

    @Test
    void durationOmittedWhenUnknown() throws Exception {
        JsonNode j = parseOneLine(write(success(Role.CLIENT).durationNanos(-1).build()));

        assertThat(j.path("event").has("duration")).isFalse();
        assertThat(j.path("event").path("outcome").asText()).isEqualTo("success");
    }

    @Test
    void zeroDurationIsWritten() throws Exception {
        JsonNode j = parseOneLine(write(success(Role.CLIENT).durationNanos(0).build()));

        assertThat(j.path("event").path("duration").asLong()).isZero();
    }

    @Test
    void tlsV1IsVersionOnePointZero() throws Exception {
        JsonNode tls = parseOneLine(write(success(Role.CLIENT).protocol("TLSv1").build())).path("tls");

        assertThat(tls.path("version_protocol").asText()).isEqualTo("tls");
        assertThat(tls.path("version").asText()).isEqualTo("1.0");
    }

    @Test
    void noProtocolMeansNoVersionFields() throws Exception {
        JsonNode tls = parseOneLine(write(success(Role.CLIENT).protocol(null).cipherSuite(null).namedGroup(null)
                .applicationProtocol(null).build())).path("tls");

        assertThat(tls.has("version_protocol")).isFalse();
        assertThat(tls.has("version")).isFalse();
        assertThat(tls.has("cipher")).isFalse();
        assertThat(tls.has("curve")).isFalse();
        assertThat(tls.has("next_protocol")).isFalse();
    }

    @Test
    void resumedHandshake() throws Exception {
        JsonNode j = parseOneLine(write(success(Role.CLIENT).resumed(true).resumption(Resumption.PSK)
                .api(Api.SSL_ENGINE).build()));

        assertThat(j.path("tls").path("resumed").asBoolean()).isTrue();
        assertThat(j.path("tls_agent").path("resumption").asText()).isEqualTo("psk");
        assertThat(j.path("tls_agent").path("api").asText()).isEqualTo("SSLEngine");
    }

    @Test
    void unknownResumptionIsOmitted() throws Exception {
        JsonNode j = parseOneLine(write(success(Role.CLIENT).resumption(null).build()));

        assertThat(j.path("tls_agent").has("resumption")).isFalse();
    }

    @Test
    void failureHasErrorAndAlert() throws Exception {
        HandshakeRecord r = success(Role.CLIENT)
                .protocol(null).cipherSuite(null).namedGroup(null).applicationProtocol(null).peerCertificate(null)
                .error(ErrorType.CERTIFICATE_UNTRUSTED)
                .alert("certificate_unknown")
                .alertReceived(false)
                .errorMessage("PKIX path building failed")
                .build();

        JsonNode j = parseOneLine(write(r));

        assertThat(j.path("event").path("outcome").asText()).isEqualTo("failure");
        assertThat(j.path("tls").path("established").asBoolean()).isFalse();
        assertThat(j.path("error").path("type").asText()).isEqualTo("certificate_untrusted");
        assertThat(j.path("error").path("message").asText()).isEqualTo("PKIX path building failed");
        assertThat(j.path("tls_agent").path("alert").path("name").asText()).isEqualTo("certificate_unknown");
        assertThat(j.path("tls_agent").path("alert").path("direction").asText()).isEqualTo("sent");
    }

    @Test
    void receivedAlert() throws Exception {
        JsonNode j = parseOneLine(write(success(Role.SERVER).error(ErrorType.PROTOCOL_VERSION)
                .alert("protocol_version").alertReceived(true).build()));

        assertThat(j.path("tls_agent").path("alert").path("direction").asText()).isEqualTo("received");
        assertThat(j.path("error").path("type").asText()).isEqualTo("protocol_version");
        assertThat(j.path("error").has("message")).isFalse();
    }

    @Test
    void errorMessageOfASuccessIsNotWritten() throws Exception {
        JsonNode j = parseOneLine(write(success(Role.CLIENT).errorMessage("stale").build()));

        assertThat(j.has("error")).isFalse();
    }

    @Test
    void appendsToWhatIsAlreadyInTheBuffer() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ecs.write(success(Role.CLIENT).build(), out);
        ecs.write(success(Role.SERVER).build(), out);

        String[] lines = new String(out.toByteArray(), StandardCharsets.UTF_8).split("\n", -1);
        assertThat(lines).hasSize(3);
        assertThat(lines[2]).isEmpty();
        assertThat(MAPPER.readTree(lines[0]).path("tls_agent").path("role").asText()).isEqualTo("client");
        assertThat(MAPPER.readTree(lines[1]).path("tls_agent").path("role").asText()).isEqualTo("server");
    }

    // ---- hostile strings ----

    static List<String> hostileStrings() {
        List<String> s = new ArrayList<>();
        s.add("quote\" backslash\\ end");
        s.add("line1\nline2");
        s.add("cr\rlf\r\n");
        s.add("nul\u0000byte");
        StringBuilder controls = new StringBuilder();
        for (char c = 0; c < 0x20; c++) {
            controls.append(c);
        }
        controls.append('\u007f').append('\u0085').append('\u2028').append('\u2029');
        s.add(controls.toString());
        s.add("grüße, 日本語, emoji \uD83D\uDE00, Ωmega");
        s.add("{\"injected\":true}\n{\"second\":\"line\"}");
        s.add("</script><!--");
        s.add("x".repeat(1024));
        return s;
    }

    private HandshakeRecord hostileRecord(String value) {
        CertificateInfo cert = CertificateInfo.builder().subject(value).issuer(value).serialNumber(value)
                .notBefore(NOT_BEFORE).notAfter(NOT_AFTER).sha256("AB").build();
        return success(Role.CLIENT)
                .serverName(value)
                .peerCertificate(cert)
                .applicationProtocol(value)
                .namedGroup(value)
                .provider(value)
                .threadName(value)
                .error(ErrorType.OTHER)
                .alert(value)
                .errorMessage(value)
                .build();
    }

    @ParameterizedTest
    @MethodSource("hostileStrings")
    void hostileStringsRoundTrip(String value) throws Exception {
        JsonNode j = parseOneLine(write(hostileRecord(value)));

        assertThat(j.path("tls").path("client").path("server_name").asText()).isEqualTo(value);
        assertThat(j.path("tls").path("server").path("subject").asText()).isEqualTo(value);
        assertThat(j.path("tls").path("server").path("issuer").asText()).isEqualTo(value);
        assertThat(j.path("tls").path("server").path("x509").path("serial_number").asText()).isEqualTo(value);
        assertThat(j.path("tls").path("next_protocol").asText()).isEqualTo(value);
        assertThat(j.path("tls").path("curve").asText()).isEqualTo(value);
        assertThat(j.path("error").path("message").asText()).isEqualTo(value);
        assertThat(j.path("process").path("thread").path("name").asText()).isEqualTo(value);
        assertThat(j.path("tls_agent").path("provider").asText()).isEqualTo(value);
        assertThat(j.path("tls_agent").path("alert").path("name").asText()).isEqualTo(value);
    }

    @Test
    void loneSurrogatesBecomeReplacementCharacter() throws Exception {
        String value = "a\uD800b\uDC00c\uD83D";
        JsonNode j = parseOneLine(write(hostileRecord(value)));

        String expected = "a\uFFFDb\uFFFDc\uFFFD";
        assertThat(j.path("tls").path("client").path("server_name").asText()).isEqualTo(expected);
        assertThat(j.path("tls").path("server").path("subject").asText()).isEqualTo(expected);
        assertThat(j.path("error").path("message").asText()).isEqualTo(expected);
    }

    @Test
    void longStringsAreCutTo1024Characters() throws Exception {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 5000; i++) {
            sb.append((char) ('a' + i % 26));
        }
        String value = sb.toString();

        String line = write(hostileRecord(value));
        JsonNode j = parseOneLine(line);

        assertThat(j.path("tls").path("client").path("server_name").asText()).isEqualTo(value.substring(0, 1024));
        assertThat(j.path("tls").path("server").path("subject").asText()).isEqualTo(value.substring(0, 1024));
        assertThat(j.path("error").path("message").asText()).isEqualTo(value.substring(0, 1024));
        assertThat(line).doesNotContain(value.substring(0, 1025));
    }

    @Test
    void longHostileStringIsCutAndStillOneLine() throws Exception {
        String value = "\"\\\n\r\u0000\uD800\u00e9".repeat(1000); // 7000 chars
        JsonNode j = parseOneLine(write(hostileRecord(value)));

        String expected = EcsJson.clean(value);
        assertThat(expected).hasSize(1024);
        assertThat(j.path("error").path("message").asText()).isEqualTo(expected);
        assertThat(j.path("tls").path("client").path("server_name").asText()).isEqualTo(expected);
    }

    @Test
    void serviceNameIsAlsoSafe() throws Exception {
        EcsJson hostile = new EcsJson("svc\"\n\uD800", 1L);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        hostile.write(success(Role.CLIENT).build(), out);

        JsonNode j = parseOneLine(new String(out.toByteArray(), StandardCharsets.UTF_8));
        assertThat(j.path("service").path("name").asText()).isEqualTo("svc\"\n\uFFFD");
    }

    @Test
    void outputIsUtf8() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ecs.write(success(Role.CLIENT).serverName("bücher.example").build(), out);

        byte[] bytes = out.toByteArray();
        String decoded = new String(bytes, StandardCharsets.UTF_8);
        assertThat(decoded.getBytes(StandardCharsets.UTF_8)).isEqualTo(bytes);
        assertThat(MAPPER.readTree(bytes).path("tls").path("client").path("server_name").asText())
                .isEqualTo("bücher.example");
    }

    // ---- clean ----

    @Test
    void cleanLeavesOrdinaryStringsAlone() {
        String s = "plain ascii";
        assertThat(EcsJson.clean(s)).isSameAs(s);
        String pairs = "emoji \uD83D\uDE00 and \uD83C\uDF89";
        assertThat(EcsJson.clean(pairs)).isEqualTo(pairs);
        assertThat(EcsJson.clean("")).isEmpty();
    }

    @Test
    void cleanReplacesLoneSurrogates() {
        assertThat(EcsJson.clean("\uD800")).isEqualTo("\uFFFD");
        assertThat(EcsJson.clean("\uDC00")).isEqualTo("\uFFFD");
        assertThat(EcsJson.clean("\uDC00\uD800")).isEqualTo("\uFFFD\uFFFD");
        assertThat(EcsJson.clean("a\uD800")).isEqualTo("a\uFFFD");
        assertThat(EcsJson.clean("\uD800\uD83D\uDE00")).isEqualTo("\uFFFD\uD83D\uDE00");
        assertThat(EcsJson.clean("\uD83D\uDE00\uDE00x")).isEqualTo("\uD83D\uDE00\uFFFDx");
    }

    @Test
    void cleanTruncatesTo1024() {
        assertThat(EcsJson.clean("y".repeat(1024))).hasSize(1024);
        assertThat(EcsJson.clean("y".repeat(1025))).isEqualTo("y".repeat(1024));
        assertThat(EcsJson.clean("z".repeat(5000))).isEqualTo("z".repeat(1024));
    }

    @Test
    void cleanDoesNotLeaveHalfAPairAtTheCut() {
        String s = "a".repeat(1023) + "\uD83D\uDE00" + "tail";
        String cleaned = EcsJson.clean(s);

        assertThat(cleaned).hasSize(1024);
        assertThat(cleaned).startsWith("a".repeat(1023));
        assertThat(cleaned.charAt(1023)).isEqualTo('\uFFFD');
    }

    private static String sha256Hex(byte[] der) throws Exception {
        byte[] d = MessageDigest.getInstance("SHA-256").digest(der);
        StringBuilder sb = new StringBuilder();
        for (byte b : d) {
            sb.append(String.format("%02X", b));
        }
        return sb.toString();
    }
}
