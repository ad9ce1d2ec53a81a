package io.tlsagent.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.tlsagent.testsupport.ForkedJvm;
import io.tlsagent.testsupport.Scrape;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A failure inside the agent (injected through its test hook) is swallowed, counted and said once. */
@Tag("jdk")
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
        try (ForkedJvm bare = Forks.workload(Files.createTempDirectory(dir, "bare"), "--steps", STEPS).withoutAgent()
                .start()) {
            bare.awaitStdout("READY");
            assertThat(bare.finish()).isZero();
            expected = outcomes(bare.stdout());
        }
        try (ForkedJvm p = Forks.workload(dir, "--steps", STEPS, "--gc", "--hold")
                .jvmArgs("-Dio.tlsagent.test.inject=exporter").start()) {
            p.awaitStdout("READY");
            Scrape scrape = p.scrapeOnceExported(); // the throwing exporter has had every record
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

    @Test
    void anExportThreadThatDiesIsRestartedOnceAndLosesNothing() throws Exception {
        try (ForkedJvm p = Forks.workload(dir, "--steps", STEPS, "--hold")
                .jvmArgs("-Dio.tlsagent.test.inject=export-thread").start()) {
            p.awaitStdout("READY");
            Scrape scrape = p.scrapeOnceExported(); // the histograms have had every record
            assertThat(p.finish()).isZero();
            assertThat(p.records()).as("every line written, the first one too").hasSize(8);
            assertThat(scrape.sum("tls_handshakes_total")).isEqualTo(8.0);
            assertThat(scrape.sum("tls_handshake_duration_seconds_count")).isEqualTo(8.0);
            assertThat(scrape.sum("tls_agent_records_dropped_total")).isZero();
            assertThat(scrape.sum("tls_agent_errors_total")).as("the failure is counted").isEqualTo(1.0);
            assertThat(p.stderr()).anySatisfy(l -> assertThat(l).contains("export thread failed").contains("restarted"));
        }
    }

    @Test
    void anEndpointFailureIsAnsweredAndTheEndpointLivesOn() throws Exception {
        try (ForkedJvm p = Forks.workload(dir, "--steps", "socket-tls13-full", "--hold")
                .jvmArgs("-Dio.tlsagent.test.inject=endpoint").start()) {
            p.awaitStdout("READY");
            java.net.http.HttpResponse<String> first = java.net.http.HttpClient.newHttpClient().send(
                    java.net.http.HttpRequest.newBuilder(java.net.URI.create(
                            "http://127.0.0.1:" + p.metricsPort + "/metrics")).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(first.statusCode()).as("the failing scrape").isEqualTo(500);
            Scrape next = p.scrape(); // answered by the same endpoint, 200
            assertThat(next.sum("tls_handshakes_total")).isEqualTo(2.0);
            assertThat(next.sum("tls_agent_errors_total")).isEqualTo(1.0);
            assertThat(p.scrape().sum("tls_handshakes_total")).isEqualTo(2.0);
            assertThat(p.finish()).isZero();
            assertThat(p.stderr()).filteredOn(l -> l.contains("internal error in metrics endpoint")).hasSize(1);
            assertThat(p.records()).hasSize(2);
        }
    }

    @Test
    void hooksThatCannotBeInstalledAreSaidOnceCountedAndTheApplicationRunsAsWithoutTheAgent() throws Exception {
        try (ForkedJvm p = Forks.workload(dir, "--steps", "engine-tls13-full,socket-tls12-full", "--hold")
                .jvmArgs("-Dio.tlsagent.test.inject=hooks").start()) {
            p.awaitStdout("READY");
            p.awaitStderr(" started; ");
            Scrape scrape = p.scrape();
            assertThat(scrape.sum("tls_agent_errors_total")).isEqualTo(1.0);
            assertThat(scrape.sum("tls_handshakes_total")).isZero();
            assertThat(p.finish()).isZero();
            assertThat(outcomes(p.stdout())).as("every handshake went through").hasSize(4)
                    .allSatisfy(o -> assertThat(o).contains(" session TLSv1."));
            assertThat(p.stderr()).filteredOn(l -> l.contains("could not install the hooks")).hasSize(1)
                    .allSatisfy(l -> assertThat(l).contains("injected"));
            assertThat(p.records()).isEmpty();
        }
    }
}
