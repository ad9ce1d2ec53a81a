package io.tlsagent.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A failure inside the agent (injected through its test hook) is swallowed, counted and said once. */
class FailureInjectionIT {

    private static final String STEPS = "socket-tls13-full,socket-untrusted,engine-tls12-full,engine-version-mismatch";

    @TempDir
    Path dir;

    private static List<String> outcomes(List<String> stdout) {
        List<String> out = new ArrayList<>();
        stdout.stream().filter(l -> l.startsWith("OUTCOME ")).forEach(out::add);
        Collections.sort(out);
        return out;
    }

    @Test
    void aThrowingExporterChangesNothingElse() throws Exception {
        List<String> expected;
        try (AgentProcess bare = AgentProcess.start(Files.createTempDirectory(dir, "bare"), null, List.of(),
                Workload.class.getName(), "--steps", STEPS)) {
            bare.awaitStdout("READY");
            assertThat(bare.finish()).isZero();
            expected = outcomes(bare.stdout());
        }
        try (AgentProcess p = AgentProcess.start(dir, "", List.of("-Dio.tlsagent.test.inject=exporter"),
                Workload.class.getName(), "--steps", STEPS, "--gc", "--hold")) {
            p.awaitStdout("READY");
            Scrape scrape = new Scrape(p.scrape());
            assertThat(p.finish()).isZero();
            assertThat(outcomes(p.stdout())).as("the application saw the same").isEqualTo(expected);
            // The other exporters still got every handshake.
            assertThat(p.records()).hasSize(8);
            assertThat(scrape.sum("tls_handshakes_total")).isEqualTo(8.0);
            assertThat(scrape.sum("tls_agent_errors_total")).isEqualTo(8.0);
            assertThat(p.stderr()).filteredOn(l -> l.contains("internal error")).hasSize(1)
                    .allSatisfy(l -> assertThat(l).contains("injected").contains("TLS is unaffected"));
        }
    }
}
