package io.tlsagent.capture;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tlsagent.anatomy.AnatomyAssembler;
import io.tlsagent.cli.report.ReportCommand;
import io.tlsagent.config.AgentConfig;
import io.tlsagent.export.log.JsonLog;
import io.tlsagent.export.log.LogSink;
import io.tlsagent.instrumentation.BootstrapInjector;
import io.tlsagent.instrumentation.TlsInstrumentation;
import io.tlsagent.record.HandshakeRecord;
import io.tlsagent.testsupport.EnginePair;
import io.tlsagent.testsupport.TestPki;
import io.tlsagent.util.AgentErrors;
import io.tlsagent.util.HandshakeSpans;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.instrument.Instrumentation;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import net.bytebuddy.agent.ByteBuddyAgent;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code report} gives the same answers on a summary log as on a full log of the same handshakes: real SunJSSE
 * handshakes (TLS 1.3 full and resumed, TLS 1.2, mutual TLS, failures, several server names) recorded by the real
 * hooks, each record written to both logs.
 */
class SummaryReportInJvmTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<HandshakeRecord> RECORDS = Collections.synchronizedList(new ArrayList<>());
    private static Instrumentation inst;
    private static TlsInstrumentation hooks;

    @TempDir
    static Path dir;
    private static Path summary;
    private static Path full;

    @BeforeAll
    static void handshakesWrittenToBothLogs() throws Exception {
        inst = ByteBuddyAgent.install();
        BootstrapInjector.inject(inst);
        AgentErrors errors = new AgentErrors();
        hooks = InJvmHooks.install(inst, RECORDS::add, HandshakeSpans.NONE, errors);
        try {
            handshakes();
        } finally {
            InJvmHooks.remove(hooks, errors);
        }
        AnatomyAssembler anatomy = new AnatomyAssembler(new AnatomyAssembler.Options(true, true, 14));
        summary = dir.resolve("summary.jsonl");
        full = dir.resolve("full.jsonl");
        JsonLog summaryLog = log(summary, AgentConfig.LogDetail.SUMMARY);
        JsonLog fullLog = log(full, AgentConfig.LogDetail.FULL);
        for (HandshakeRecord raw : RECORDS) {
            HandshakeRecord r = anatomy.complete(raw);
            summaryLog.export(r);
            fullLog.export(r);
        }
        summaryLog.close(10_000);
        fullLog.close(10_000);
    }

    private static JsonLog log(Path file, AgentConfig.LogDetail detail) throws Exception {
        return new JsonLog(LogSink.of(AgentConfig.load("log=file:" + file, new Properties(), Map.of())), "svc",
                new AgentErrors(), detail, 3_600_000L);
    }

    private static void handshakes() throws Exception {
        TestPki pki = TestPki.create();
        SSLContext client = pki.clientContext();
        SSLContext server = pki.serverContext();
        // A client presenting the server's own key and chain: its chain is both peer and local.
        SSLContext mutualClient = TestPki.context(TestPki.keyStore(TestPki.SERVER_ALIAS, pki.serverKeys.getPrivate(),
                pki.server, pki.ca), "PKIX", null, pki.ca);
        for (String host : List.of("a.example", "b.example")) {
            for (int i = 0; i < 6; i++) { // a full handshake, then resumed ones
                handshake(engine(client, host, "TLSv1.3"), server(server, false));
            }
            for (int i = 0; i < 4; i++) {
                handshake(engine(client, host, "TLSv1.2"), server(server, false));
            }
        }
        for (int i = 0; i < 2; i++) {
            handshake(engine(mutualClient, "mtls.example", "TLSv1.3"), server(server, true));
            handshake(engine(mutualClient, "mtls.example", "TLSv1.2"), server(server, true));
        }
        SSLContext trustsTheJdksRoots = SSLContext.getInstance("TLS");
        trustsTheJdksRoots.init(null, null, null);
        for (int i = 0; i < 2; i++) {
            new EnginePair(engine(trustsTheJdksRoots, "a.example", "TLSv1.3"), server(server, false)).run();
        }
        SSLEngine tls13Only = server(server, false);
        tls13Only.setEnabledProtocols(new String[] {"TLSv1.3"});
        new EnginePair(engine(client, "a.example", "TLSv1.2"), tls13Only).run();
    }

    private static SSLEngine engine(SSLContext ctx, String host, String protocol) {
        SSLEngine e = ctx.createSSLEngine(host, 443);
        e.setUseClientMode(true);
        e.setEnabledProtocols(new String[] {protocol});
        return e;
    }

    private static SSLEngine server(SSLContext ctx, boolean needClientAuth) {
        SSLEngine e = ctx.createSSLEngine();
        e.setUseClientMode(false);
        e.setNeedClientAuth(needClientAuth);
        return e;
    }

    private static void handshake(SSLEngine client, SSLEngine server) throws Exception {
        new EnginePair(client, server).handshake();
    }

    @AfterAll
    static void nothingLeft() {
        RECORDS.clear();
    }

    @Test
    void bothLogsHaveEveryHandshakeAndTheSummaryLogIsMostlySummaries() throws Exception {
        List<String> summaryLines = Files.readAllLines(summary, StandardCharsets.UTF_8);
        List<String> fullLines = Files.readAllLines(full, StandardCharsets.UTF_8);
        assertThat(RECORDS).as("two records per handshake, failures included").hasSize(54);
        assertThat(summaryLines).hasSameSizeAs(fullLines).hasSize(RECORDS.size());
        long summaries = summaryLines.stream().filter(l -> l.contains("\"detail\":\"summary\"")).count();
        assertThat(summaries).as("summary lines").isGreaterThan(summaryLines.size() / 2);
        assertThat(fullLines).noneMatch(l -> l.contains("\"detail\":\"summary\""));
        assertThat(String.join("\n", fullLines)).contains("\"local_chain\"").contains("certificate_untrusted")
                .contains("protocol_version").contains("\"resumption\":\"psk\"");
    }

    @Test
    void theReportIsTheSameOnTheSummaryLogAsOnTheFullLog() throws Exception {
        for (List<String> args : List.of(List.of("--json"),
                List.of("--json", "--what-if", "protocols=TLSv1.3"),
                List.of("--json", "--what-if", "deny-ciphers=TLS_ECDHE_*", "--expiring-days", "3650"),
                List.of("--json", "--what-if", "groups=X25519MLKEM768,secp256r1"))) {
            JsonNode onFull = report(args, full);
            JsonNode onSummary = report(args, summary);
            assertThat(onSummary).as("report %s", args).isEqualTo(onFull);
            assertThat(onFull.get("expiring_certificates").get("rows").size()).as("certificates to compare")
                    .isGreaterThanOrEqualTo(2);
        }
    }

    @Test
    void newestFileFirstGivesTheSameCounts() throws Exception {
        // A summary line can come before the full line of its chain (files given newest first): it waits for it.
        List<String> lines = new ArrayList<>(Files.readAllLines(summary, StandardCharsets.UTF_8));
        Collections.reverse(lines);
        Path reversed = Files.write(dir.resolve("reversed.jsonl"), lines, StandardCharsets.UTF_8);
        JsonNode onFull = report(List.of("--json"), full);
        JsonNode onReversed = report(List.of("--json"), reversed);
        assertThat(handshakesByCertificate(onReversed)).isEqualTo(handshakesByCertificate(onFull)).isNotEmpty();
        assertThat(onReversed.get("by_client")).isEqualTo(onFull.get("by_client"));
        // A summary line names its ClientHello's kind: its offered groups wait for the full line of that kind.
        assertThat(onReversed.get("post_quantum")).isEqualTo(onFull.get("post_quantum"));
        assertThat(onFull.get("post_quantum").toString()).contains("x25519");
        assertThat(onReversed.get("expiring_certificates").toString()).doesNotContain("no full line");
    }

    private static Map<String, Long> handshakesByCertificate(JsonNode report) {
        Map<String, Long> out = new TreeMap<>();
        JsonNode section = report.get("expiring_certificates");
        for (JsonNode row : section.get("rows")) {
            out.put(row.get("sha256").asText(), row.get("handshakes").asLong());
        }
        return out;
    }

    private static JsonNode report(List<String> args, Path file) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        List<String> all = new ArrayList<>(args);
        all.add(file.toString());
        int status = ReportCommand.run(all.toArray(new String[0]), new PrintStream(out, true, "UTF-8"),
                new PrintStream(err, true, "UTF-8"));
        assertThat(status).as(err.toString("UTF-8")).isZero();
        ObjectNode node = (ObjectNode) JSON.readTree(out.toString("UTF-8"));
        node.remove("inputs");
        ((ObjectNode) node.get("expiring_certificates")).remove("notes"); // says the time of the run
        return node;
    }
}
