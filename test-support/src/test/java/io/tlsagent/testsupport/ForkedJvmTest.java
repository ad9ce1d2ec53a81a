package io.tlsagent.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ForkedJvmTest {

    @TempDir
    Path dir;

    @Test
    void runsTalksAndEnds() throws Exception {
        try (ForkedJvm jvm = ForkedJvm.builder(dir, Echo.class).withoutAgent().args("a", "b")
                .env("ECHO_VAR", "set").keepLogsAs("ForkedJvmTest").start()) {
            jvm.awaitReady();
            assertThat(jvm.value("ARGS")).isEqualTo("a,b");
            assertThat(jvm.value("ENV")).as("TLSAGENT_* never reaches a fork").isEqualTo("null set");
            assertThat(jvm.values("KEY")).containsExactly("first", "second");
            assertThatThrownBy(() -> jvm.value("NOPE")).isInstanceOf(AssertionError.class);
            jvm.step("one");
            assertThat(jvm.stdout()).contains("DONE one");
            assertThat(jvm.command).contains(Echo.class.getName()).doesNotContain("-javaagent");

            Files.write(jvm.log, List.of("{\"tls\":{\"version\":\"1.3\"}}"));
            assertThat(jvm.awaitRecords(1).values("tls.version")).containsExactly("1.3");
            assertThat(jvm.countRecords()).isEqualTo(1);

            assertThat(jvm.finish()).isEqualTo(3);
            assertThat(jvm.stderr()).containsExactly("to stderr");
            Path kept = Path.of(System.getProperty("tlsagent.test.logs", "target/fork-logs"));
            assertThat(kept.resolve("ForkedJvmTest.stdout.txt")).exists();
            assertThat(kept.resolve("ForkedJvmTest.handshakes.jsonl")).hasContent("{\"tls\":{\"version\":\"1.3\"}}");
        }
    }

    @Test
    void aLineThatNeverComesFailsWithWhatTheProgramSaid() throws Exception {
        try (ForkedJvm jvm = ForkedJvm.builder(dir, Echo.class).withoutAgent().start()) {
            jvm.awaitReady();
            jvm.finish();
            assertThatThrownBy(() -> jvm.awaitStdout("NEVER", 5)).hasMessageContaining("(it ended)")
                    .hasMessageContaining("KEY second").hasMessageContaining("to stderr");
        }
    }

    @Test
    void theTestClassPathNeverHoldsTheRunnerOrTheAgent() {
        ClassPath cp = ClassPath.ofTests();
        assertThat(cp.entries()).anyMatch(e -> ClassPath.holds(e, Echo.class))
                .anyMatch(e -> ClassPath.holds(e, ForkedJvm.class))
                .noneMatch(e -> e.contains("surefire") || e.contains("failsafe"));
        assertThat(cp.only(e -> ClassPath.holds(e, Echo.class)).entries()).hasSize(1);
        assertThat(ForkedJvm.agentCommand("list")).containsExactly(ForkedJvm.java(), "-jar",
                ForkedJvm.AGENT_JAR.toString(), "list");
    }
}
