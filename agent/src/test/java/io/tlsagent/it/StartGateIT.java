package io.tlsagent.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tlsagent.testsupport.ForkedJvm;
import io.tlsagent.testsupport.Records;
import io.tlsagent.testsupport.Scrape;
import io.tlsagent.testsupport.TestPki;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The start gate in JVMs of their own. The agent's start is made slow on purpose (a test switch delays its starting
 * thread by 8 s), so that a gate that let the first use of TLS through before the hooks would certainly let a
 * handshake begin, and end, without them: the application's first act is a TLS handshake (its keys are read from
 * a file, nothing else comes first). Whether the hooks saw that handshake from its first message is read from the
 * records alone. The same check against a JVM whose gate is switched off shows that it catches exactly that.
 */
@Tag("jdk")
class StartGateIT {

    private static final String SLOW_START = "-Dio.tlsagent.test.start.delay.millis=8000";
    private static final String FIRST = "engine-tls13-full";

    @TempDir
    static Path pki;

    @TempDir
    Path dir;

    @BeforeAll
    static void keys() throws Exception {
        TestPki.create().save(pki);
    }

    @Test
    void theFirstHandshakeBeginsAfterTheHooksEvenWhenTheAgentStartsSlowly() throws Exception {
        Records records = firstHandshakeRecords(SLOW_START);
        assertThat(hooksSawTheFirstHandshakeFromItsFirstMessage(records)).as("records: %s", records).isTrue();
    }

    @Test
    void withoutTheGateTheSameCheckFails() throws Exception {
        Records records = firstHandshakeRecords(SLOW_START, "-Dio.tlsagent.test.gate=off");
        assertThat(hooksSawTheFirstHandshakeFromItsFirstMessage(records)).as("records: %s", records).isFalse();
    }

    @Test
    void whenTheBoundFiresTheApplicationGoesOnAndTheAgentSaysAndCountsItOnce() throws Exception {
        // The bound (30 s) made 0.5 s; the agent starts after 8 s.
        try (ForkedJvm p = Forks.workload(dir, "--pki", pki.toString(), "--steps", FIRST, "--interactive")
                .jvmArgs(SLOW_START, "-Dio.tlsagent.test.gate.millis=500").start()) {
            p.awaitStdout("INTERACTIVE " + p.pid());
            assertThat(p.stdout()).as("the application's first handshake went through without the agent")
                    .filteredOn(l -> l.startsWith("OUTCOME " + FIRST + "/engine session TLSv1.3")).hasSize(2);
            p.awaitStderr(" started; ");
            p.step("engine-tls12-full"); // after the start: recorded
            Scrape scrape = p.scrape();
            assertThat(scrape.sum("tls_agent_errors_total")).isEqualTo(1.0);
            assertThat(scrape.sum("tls_handshakes_total")).isEqualTo(2.0);
            assertThat(p.finish()).isZero();
            assertThat(p.stderr()).filteredOn(l -> l.contains("still starting after 500 ms")).hasSize(1);
            assertThat(p.records().distinct("process.thread.name")).containsExactly("engine-tls12-full/engine");
        }
    }

    /** Runs the workload whose first act is one handshake, waits until the agent has started, returns the records. */
    private Records firstHandshakeRecords(String... jvmArgs) throws Exception {
        try (ForkedJvm p = Forks.workload(Files.createTempDirectory(dir, "run"), "--pki", pki.toString(), "--steps",
                FIRST, "--hold").jvmArgs(jvmArgs).start()) {
            p.awaitStdout("READY");
            p.awaitStderr(" started; ");
            assertThat(p.finish()).isZero();
            return p.records();
        }
    }

    /**
     * Both sides of the first handshake were recorded, each from the ClientHello on (sent by the client, received by
     * the server; its JA4 computed): the hooks were in place before the handshake's first message.
     */
    private static boolean hooksSawTheFirstHandshakeFromItsFirstMessage(Records records) {
        Records first = records.threadPrefix(FIRST + "/");
        Set<String> roles = new TreeSet<>();
        for (JsonNode r : first) {
            String role = Records.text(r, "tls_agent.role");
            JsonNode messages = Records.node(r, "tls_agent.messages");
            if (messages == null || messages.size() == 0 || Records.text(r, "tls_agent.client_hello.ja4") == null) {
                return false;
            }
            JsonNode m = messages.get(0);
            String direction = "client".equals(role) ? "out" : "in";
            if (!m.get("type").asText().equals("client_hello") || !m.get("direction").asText().equals(direction)) {
                return false;
            }
            roles.add(role);
        }
        return first.size() == 2 && roles.equals(Set.of("client", "server"));
    }
}
