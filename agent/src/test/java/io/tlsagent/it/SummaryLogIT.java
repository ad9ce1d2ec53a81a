package io.tlsagent.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tlsagent.testsupport.ForkedJvm;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The JSON log as it is by default ({@code log_detail=summary}), in a JVM with the built agent: one line per
 * handshake and side; the first of each kind (ClientHello, chain, per side) and every failure carry the full
 * anatomy, the others are summaries of at most 1.5 KB that name their kinds; after {@code log_full_every} each kind
 * is written in full again.
 */
class SummaryLogIT {

    private static final String STEPS = "socket-tls13-full,socket-tls13-resume,engine-tls13-full,engine-tls12-full,"
            + "engine-tls12-ticket,socket-untrusted,engine-version-mismatch";

    @TempDir
    Path dir;

    private static boolean summary(JsonNode line) {
        return line.at("/tls_agent/detail").asText().equals("summary");
    }

    @Test
    void firstOfEachKindAndFailuresInFullTheRestAsSummariesAgainEachPeriod() throws Exception {
        try (ForkedJvm p = Forks.workload(dir, "--interactive").agentArgs("log_full_every=8s").start()) {
            p.awaitStdout("INTERACTIVE " + p.pid());
            p.step(STEPS);
            p.step(STEPS);
            int perRound = 2 * (1 + 2 + 1 + 1 + 2 + 1 + 1); // sides of each step's handshakes
            List<JsonNode> twoRounds = p.awaitRecords(2 * perRound);
            Thread.sleep(8500); // log_full_every has passed since the last line
            p.step(STEPS);
            List<JsonNode> records = p.awaitRecords(3 * perRound);
            List<String> raw = Files.readAllLines(p.log, StandardCharsets.UTF_8);
            assertThat(p.finish()).isZero();

            assertThat(twoRounds).hasSize(2 * perRound);
            assertThat(records).as("one line per handshake and side").hasSize(3 * perRound);
            Set<String> knownKinds = new HashSet<>();
            int summaries = 0;
            for (int i = 0; i < records.size(); i++) {
                JsonNode r = records.get(i);
                String role = r.at("/tls_agent/role").asText();
                if (!r.at("/event/outcome").asText().equals("success")) {
                    assertThat(summary(r)).as("a failure is written in full: %s", raw.get(i)).isFalse();
                    continue;
                }
                List<String> kinds = List.of(role + " " + r.at("/tls_agent/client_hello/id").asText(),
                        role + " peer " + r.at("/tls_agent/peer_chain_id").asText(),
                        role + " local " + r.at("/tls_agent/local_chain_id").asText());
                if (summary(r)) {
                    summaries++;
                    assertThat(knownKinds).as("a summary's kinds were written in full before: %s", raw.get(i))
                            .containsAll(kinds);
                    assertThat(raw.get(i).getBytes(StandardCharsets.UTF_8).length + 1).as(raw.get(i))
                            .isLessThanOrEqualTo(1536);
                    assertThat(r.at("/tls_agent/client_hello/ja4").asText()).startsWith("t1");
                    assertThat(r.at("/tls/version").asText()).isNotEmpty();
                    assertThat(r.at("/event/duration").asLong()).isPositive();
                    assertThat(r.has("tls_agent") && r.get("tls_agent").has("messages")).isFalse();
                } else {
                    assertThat(r.at("/tls_agent/messages").isArray()).isTrue();
                    assertThat(r.at("/tls_agent/client_hello/cipher_suites").isArray()).isTrue();
                    knownKinds.addAll(kinds);
                }
            }
            assertThat(summaries).as("summary lines").isGreaterThan(perRound / 2);
            // The third round came after log_full_every: it starts with each kind in full again.
            JsonNode firstOfThirdRound = records.get(2 * perRound);
            assertThat(summary(firstOfThirdRound)).isFalse();
        }
    }
}
