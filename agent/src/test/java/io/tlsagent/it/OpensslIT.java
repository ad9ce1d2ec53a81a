package io.tlsagent.it;

import static io.tlsagent.testsupport.Records.text;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tlsagent.testsupport.ForkedJvm;
import io.tlsagent.testsupport.Records;
import io.tlsagent.testsupport.TestPki;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Peers nobody here wrote: {@code openssl s_client} against a JVM server with the agent, and a JVM client with the
 * agent against {@code openssl s_server}. What openssl reports for each connection (version, cipher, new or
 * reused) must be what the agent recorded for it.
 */
@Tag("jdk")
class OpensslIT {

    @TempDir
    Path dir;

    @Test
    void jvmServerAgainstOpensslClients() throws Exception {
        TestPki.createIn(dir);
        Map<String, String> iana = Openssl.ianaNames();
        String ca = dir.resolve(TestPki.CA_PEM).toString();
        String hostileSni = "evil\"\\name\n{\"injected\":1}\u0007.test";
        List<Openssl.Session> reported = new ArrayList<>();
        int javaVersion;
        Records records;
        try (ForkedJvm jvm = Forks.workload(dir, "--pki", dir.toString(), "--openssl-server", "--hold").start()) {
            jvm.awaitStdout("READY");
            javaVersion = Integer.parseInt(jvm.value("JAVA"));
            String target = "127.0.0.1:" + jvm.value("OPENSSL-SERVER");
            List<String> client = List.of("openssl", "s_client", "-connect", target, "-CAfile", ca,
                    "-servername", "localhost");
            Path session = dir.resolve("tls13.session");
            // TLS 1.3: a full handshake saving the session, then one resuming it.
            reported.addAll(Openssl.sessions(Openssl.run(concat(client, "-tls1_3", "-sess_out", session.toString()),
                    200, session)));
            reported.addAll(Openssl.sessions(Openssl.run(concat(client, "-tls1_3", "-sess_in", session.toString()),
                    500)));
            // TLS 1.2: one full handshake and five resumptions, by ticket, then by session ID.
            reported.addAll(Openssl.sessions(Openssl.run(concat(client, "-tls1_2", "-reconnect"), 0)));
            reported.addAll(Openssl.sessions(Openssl.run(concat(client, "-tls1_2", "-no_ticket", "-reconnect"), 0)));
            assertThat(reported).hasSize(14);
            // TLS 1.1, which JDK servers no longer accept.
            String old = Openssl.run(List.of("openssl", "s_client", "-connect", target, "-tls1_1", "-cipher",
                    "DEFAULT@SECLEVEL=0"), 0);
            assertThat(Openssl.sessions(old)).as(old).isEmpty();
            // A hostile SNI: quotes, a backslash, a newline, JSON and a control character.
            Openssl.run(List.of("openssl", "s_client", "-connect", target, "-servername", hostileSni), 0);
            Thread.sleep(300); // the server's records are written by then; stdin close follows
            assertThat(jvm.finish()).isZero();
            records = jvm.records().threadPrefix("openssl-server/");
        }

        assertThat(records).as("one record per connection").hasSize(16);
        assertThat(records.role("server")).hasSize(16);
        String ticket = javaVersion >= 13 ? "ticket" : "session_id";
        for (int i = 0; i < reported.size(); i++) {
            Openssl.Session s = reported.get(i);
            JsonNode r = records.get(i);
            assertThat(text(r, "event.outcome")).as(s + " vs " + r).isEqualTo("success");
            assertThat("TLSv" + text(r, "tls.version")).as(s + " vs " + r).isEqualTo(s.protocol);
            assertThat(text(r, "tls.cipher")).as(s + " vs " + r).isEqualTo(iana.get(s.cipher));
            assertThat(text(r, "tls.resumed")).as(s + " vs " + r).isEqualTo(Boolean.toString(s.reused));
            assertThat(text(r, "tls.client.server_name")).isEqualTo("localhost");
            String expected = !s.reused ? "none" : s.protocol.equals("TLSv1.3") ? "psk" : i < 8 ? ticket
                    : "session_id";
            assertThat(text(r, "tls_agent.resumption")).as(i + ": " + s + " vs " + r).isEqualTo(expected);
        }
        JsonNode tls11 = records.get(14);
        assertThat(text(tls11, "error.type")).isEqualTo("protocol_version");
        assertThat(text(tls11, "tls_agent.alert.direction")).isEqualTo("sent");

        // Parsed as one JSON object above; the hostile name comes back intact, wherever the JDK put it.
        JsonNode hostile = records.get(15);
        String sniOrMessage = javaVersion >= 13 ? text(hostile, "error.message") : text(hostile, "tls.client.server_name");
        assertThat(sniOrMessage).as(hostile.toString()).contains(hostileSni);
        assertThat(Files.readAllLines(dir.resolve("handshakes.jsonl"), StandardCharsets.UTF_8))
                .allSatisfy(line -> assertThat(line).startsWith("{").endsWith("}"));
    }

    @Test
    void jvmClientAgainstOpensslServer() throws Exception {
        TestPki pki = TestPki.createIn(dir);
        Map<String, String> iana = Openssl.ianaNames();
        int port = ForkedJvm.freePort();
        Process server = Openssl.wwwServer(dir, port);
        Records records;
        int javaVersion;
        try (ForkedJvm jvm = Forks.workload(dir, "--pki", dir.toString(), "--openssl-client", Integer.toString(port),
                dir.toString()).start()) {
            jvm.awaitStdout("READY");
            javaVersion = Integer.parseInt(jvm.value("JAVA"));
            assertThat(jvm.finish()).isZero();
            records = jvm.records().threadPrefix("openssl-client/");
        } finally {
            server.destroy();
        }
        List<Openssl.Session> pages = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path page : files.filter(f -> f.getFileName().toString().startsWith("www-")).sorted()
                    .collect(Collectors.toList())) {
                pages.addAll(Openssl.sessions(Files.readString(page)));
            }
        }
        assertThat(pages).extracting(p -> p.protocol + " " + p.reused)
                .containsExactly("TLSv1.3 false", "TLSv1.3 true", "TLSv1.2 false", "TLSv1.2 true");
        assertThat(records).hasSize(4);
        String serverCert = pki.serverSha256();
        for (int i = 0; i < 4; i++) {
            Openssl.Session s = pages.get(i);
            JsonNode r = records.get(i);
            assertThat(text(r, "tls_agent.role")).isEqualTo("client");
            assertThat("TLSv" + text(r, "tls.version")).as(s + " vs " + r).isEqualTo(s.protocol);
            assertThat(text(r, "tls.cipher")).as(s + " vs " + r).isEqualTo(iana.get(s.cipher));
            assertThat(text(r, "tls.resumed")).as(s + " vs " + r).isEqualTo(Boolean.toString(s.reused));
            assertThat(text(r, "tls.server.hash.sha256")).isEqualTo(serverCert);
            assertThat(text(r, "server.port")).isEqualTo(Integer.toString(port));
            assertThat(text(r, "server.address")).isEqualTo("127.0.0.1");
        }
        assertThat(text(records.get(1), "tls_agent.resumption")).isEqualTo("psk");
        assertThat(text(records.get(3), "tls_agent.resumption")).isEqualTo(javaVersion >= 13 ? "ticket"
                : "session_id");
    }

    /**
     * An openssl server that offers P-384 only, and the JDK's client, which sends no P-384 key first: openssl asks
     * again with a HelloRetryRequest (TLS 1.3). The record names the group asked for, apart from the ServerHello's.
     */
    @Test
    void aHelloRetryRequestIsNamed() throws Exception {
        TestPki.createIn(dir);
        int port = ForkedJvm.freePort();
        Process server = Openssl.wwwServer(dir, port, "-groups", "P-384");
        Records records;
        try (ForkedJvm jvm = Forks.workload(dir, "--pki", dir.toString(), "--openssl-client", Integer.toString(port),
                dir.toString()).start()) {
            jvm.awaitStdout("READY");
            assertThat(jvm.finish()).isZero();
            records = jvm.records().threadPrefix("openssl-client/");
        } finally {
            server.destroy();
        }
        assertThat(records).hasSize(4);
        assertThat(records.values("tls.curve")).as(records.toString())
                .containsExactly("secp384r1", "secp384r1", "secp384r1", null); // a TLS 1.2 resumption has none
        Records tls13 = records.version("1.3");
        assertThat(tls13.values("tls_agent.hello_retry_request.group")).containsExactly("secp384r1", "secp384r1");
        assertThat(records.version("1.2").values("tls_agent.hello_retry_request.group")).containsOnlyNulls();
    }

    private static List<String> concat(List<String> base, String... more) {
        List<String> all = new ArrayList<>(base);
        all.addAll(List.of(more));
        return all;
    }
}
