package io.tlsagent.export.log;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tlsagent.anatomy.AnatomyAssembler;
import io.tlsagent.config.AgentConfig;
import io.tlsagent.record.Api;
import io.tlsagent.record.ErrorType;
import io.tlsagent.record.HandshakeCapture;
import io.tlsagent.record.HandshakeRecord;
import io.tlsagent.record.Resumption;
import io.tlsagent.record.Role;
import io.tlsagent.testsupport.EnginePair;
import io.tlsagent.testsupport.TestPki;
import io.tlsagent.util.AgentErrors;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code log_detail=summary}: the first handshake of each kind per period, after a rotation and every failure are
 * full lines; the others are summaries of at most 1.5 KB that name the kinds their full line has.
 */
class SummaryLogTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long HOUR = 3_600_000L;
    private static final AnatomyAssembler ANATOMY = new AnatomyAssembler(new AnatomyAssembler.Options(true, true, 14));
    private static TestPki pki;
    private static TestPki otherPki;
    private static byte[] helloA;
    private static byte[] helloB;

    @TempDir
    Path dir;
    private final AtomicLong clock = new AtomicLong(1_000_000L);

    @BeforeAll
    static void realHellosAndCertificates() throws Exception {
        pki = TestPki.create();
        otherPki = TestPki.create();
        SSLContext ctx = pki.clientContext();
        helloA = EnginePair.clientHelloBody(client(ctx, "a.example", "TLSv1.3"));
        helloB = EnginePair.clientHelloBody(client(ctx, "b.example", "TLSv1.3"));
    }

    private static SSLEngine client(SSLContext ctx, String host, String... protocols) {
        SSLEngine e = ctx.createSSLEngine(host, 443);
        e.setUseClientMode(true);
        e.setEnabledProtocols(protocols);
        return e;
    }

    /** A record as the export thread completes it: a real ClientHello, a real chain. */
    private static HandshakeRecord record(Role role, byte[] hello, TestPki chain, boolean success) {
        HandshakeRecord.Builder b = HandshakeRecord.builder().timestamp(Instant.now()).role(role)
                .api(Api.SSL_ENGINE).provider("SunJSSE").protocol("TLSv1.3").cipherSuite("TLS_AES_128_GCM_SHA256")
                .namedGroup("x25519").resumed(false).resumption(Resumption.NONE).durationNanos(2_345_678L)
                .peerAddress("10.1.2.3").peerPort(443).localAddress("10.1.2.4").localPort(50123)
                .serverName("a.example").applicationProtocol("h2").threadName("worker-1");
        HandshakeCapture.Builder capture = HandshakeCapture.builder().messagesSeen(true).clientHello(hello.clone());
        if (success) {
            capture.sessionPeerCertificates(List.of(chain.server, chain.ca));
        } else {
            b.error(ErrorType.CERTIFICATE_UNTRUSTED).alert("certificate_unknown").errorMessage("PKIX path");
        }
        return ANATOMY.complete(b.capture(capture.build()).build());
    }

    private JsonLog summaryLog(Path file) throws Exception {
        return new JsonLog(LogSink.of(AgentConfig.load("log=file:" + file, new Properties(), Map.of())), "svc",
                new AgentErrors(), AgentConfig.LogDetail.SUMMARY, HOUR, clock::get);
    }

    private static List<JsonNode> lines(Path file, int atLeast) throws Exception {
        for (int i = 0; i < 100 && (!Files.exists(file) || Files.readAllLines(file).size() < atLeast); i++) {
            Thread.sleep(50);
        }
        List<JsonNode> out = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            out.add(JSON.readTree(line));
        }
        return out;
    }

    private static boolean full(JsonNode line) {
        return !line.at("/tls_agent/detail").asText().equals("summary");
    }

    @Test
    void theFirstOfEachKindAndEveryFailureAreFullTheRestAreSummaries() throws Exception {
        Path file = dir.resolve("tls.jsonl");
        JsonLog log = summaryLog(file);
        log.export(record(Role.CLIENT, helloA, pki, true)); // first: full
        log.export(record(Role.CLIENT, helloA, pki, true)); // the same kind: summary
        log.export(record(Role.CLIENT, helloB, pki, true)); // another ClientHello: full
        log.export(record(Role.CLIENT, helloA, otherPki, true)); // another chain: full
        log.export(record(Role.SERVER, helloA, pki, true)); // the same kinds, seen from the other side: full
        log.export(record(Role.CLIENT, helloA, pki, false)); // a failure: full
        log.export(record(Role.CLIENT, helloB, otherPki, true)); // both known: summary
        log.close(5000);

        List<JsonNode> lines = lines(file, 7);
        assertThat(lines).extracting(SummaryLogTest::full).containsExactly(true, false, true, true, true, true, false);
        JsonNode first = lines.get(0);
        JsonNode summary = lines.get(1);
        // A summary names what its full line shows, with the same names.
        assertThat(summary.at("/tls_agent/client_hello/id").asText()).matches("[0-9a-f]{16}")
                .isEqualTo(first.at("/tls_agent/client_hello/id").asText());
        assertThat(summary.at("/tls_agent/peer_chain_id").asText()).matches("[0-9a-f]{16}")
                .isEqualTo(first.at("/tls_agent/peer_chain_id").asText());
        assertThat(lines.get(2).at("/tls_agent/client_hello/id").asText())
                .isNotEqualTo(first.at("/tls_agent/client_hello/id").asText());
        assertThat(lines.get(3).at("/tls_agent/peer_chain_id").asText())
                .isNotEqualTo(first.at("/tls_agent/peer_chain_id").asText());
        assertThat(first.at("/tls_agent/client_hello/cipher_suites").isArray()).isTrue();
        assertThat(first.at("/tls_agent/peer_chain").size()).isEqualTo(2);
        assertThat(lines.get(5).at("/error/type").asText()).isEqualTo("certificate_untrusted");
    }

    @Test
    void aSummaryLineHasTheFactsOfTheHandshakeInAtMostOneAndAHalfKilobytes() throws Exception {
        Path file = dir.resolve("tls.jsonl");
        JsonLog log = summaryLog(file);
        log.export(record(Role.CLIENT, helloA, pki, true));
        log.export(record(Role.CLIENT, helloA, pki, true));
        log.close(5000);
        List<String> raw = Files.readAllLines(file, StandardCharsets.UTF_8);
        JsonNode full = JSON.readTree(raw.get(0));
        JsonNode summary = JSON.readTree(raw.get(1));

        assertThat(raw.get(1).getBytes(StandardCharsets.UTF_8).length + 1).isLessThanOrEqualTo(1536);
        assertThat(raw.get(0).length()).isGreaterThan(2 * raw.get(1).length());
        for (String field : List.of("/tls/version", "/tls/cipher", "/tls/curve", "/tls/resumed",
                "/tls/next_protocol", "/tls/client/server_name", "/tls/client/ja3", "/tls/server/subject",
                "/tls/server/issuer", "/tls/server/not_after", "/tls/server/hash/sha256",
                "/tls/server/x509/serial_number", "/event/duration", "/event/outcome", "/server/address",
                "/server/port", "/client/address", "/client/port", "/tls_agent/resumption",
                "/tls_agent/client_hello/ja4", "/tls_agent/client_hello/id", "/tls_agent/peer_chain_id")) {
            assertThat(summary.at(field).isMissingNode()).as(field).isFalse();
            assertThat(summary.at(field)).as(field).isEqualTo(full.at(field));
        }
        for (String field : List.of("/tls_agent/client_hello/cipher_suites", "/tls_agent/client_hello/extensions",
                "/tls_agent/peer_chain", "/tls/server/certificate_chain", "/tls/client/supported_ciphers",
                "/tls_agent/messages")) {
            assertThat(summary.at(field).isMissingNode()).as(field).isTrue();
        }
    }

    @Test
    void eachPeriodAndEachRotatedFileGetsEachKindInFullAgain() throws Exception {
        Path file = dir.resolve("tls.jsonl");
        JsonLog log = summaryLog(file);
        log.export(record(Role.CLIENT, helloA, pki, true)); // full
        log.export(record(Role.CLIENT, helloA, pki, true)); // summary
        assertThat(lines(file, 2)).hasSize(2);

        clock.addAndGet(HOUR); // log_full_every has passed
        log.export(record(Role.CLIENT, helloA, pki, true)); // full
        assertThat(lines(file, 3)).hasSize(3);

        Files.move(file, dir.resolve("tls.jsonl.1")); // rename rotation
        log.export(record(Role.CLIENT, helloA, pki, true)); // full, in the new file
        log.export(record(Role.CLIENT, helloA, pki, true)); // summary
        assertThat(lines(file, 2)).hasSize(2);

        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.setLength(0); // copytruncate
        }
        log.export(record(Role.CLIENT, helloA, pki, true)); // full again
        List<JsonNode> truncated = lines(file, 1);
        log.close(5000);

        assertThat(lines(dir.resolve("tls.jsonl.1"), 3)).extracting(SummaryLogTest::full)
                .containsExactly(true, false, true);
        assertThat(truncated).extracting(SummaryLogTest::full).containsExactly(true);
    }

    @Test
    void fullDetailWritesTheWholeAnatomyOnEveryLine() throws Exception {
        Path file = dir.resolve("tls.jsonl");
        JsonLog log = new JsonLog(LogSink.of(AgentConfig.load("log=file:" + file, new Properties(), Map.of())),
                "svc", new AgentErrors(), AgentConfig.LogDetail.FULL, HOUR);
        for (int i = 0; i < 3; i++) {
            log.export(record(Role.CLIENT, helloA, pki, true));
        }
        log.close(5000);
        assertThat(lines(file, 3)).hasSize(3).allSatisfy(l -> {
            assertThat(full(l)).isTrue();
            assertThat(l.at("/tls_agent/peer_chain").size()).isEqualTo(2);
        });
    }
}
