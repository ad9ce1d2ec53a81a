package io.tlsagent.it;

import static io.tlsagent.testsupport.Records.text;
import static org.assertj.core.api.Assertions.assertThat;

import io.tlsagent.testsupport.ForkedJvm;
import io.tlsagent.testsupport.Records;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Configuration as an operator meets it: sources and precedence, and what a mistake does (nothing harmful). */
class ConfigIT {

    @TempDir
    Path dir;

    private ForkedJvm run(String agentArgs, List<String> jvmArgs, Map<String, String> env) throws Exception {
        Path runDir = Files.createTempDirectory(dir, "run"); // a log file of its own
        ForkedJvm p = Forks.workload(runDir, "--steps", "socket-tls13-full", "--hold").agentArgs(agentArgs)
                .jvmArgs(jvmArgs).env(env).start();
        p.awaitStdout("READY");
        return p;
    }

    @Test
    void aBadValueLeavesTheAgentOffAndTheApplicationUntouched() throws Exception {
        for (String bad : List.of("port=abc", "colour=blue", "log=syslog", "enabled=perhaps", "port")) {
            try (ForkedJvm p = run(bad, List.of(), Map.of())) {
                assertThat(p.stdout()).as("the workload ran its step").contains("STEP socket-tls13-full");
                assertThat(p.finish()).isZero();
                List<String> said = p.stderr();
                assertThat(said).as(bad).hasSize(1);
                assertThat(said.get(0)).startsWith("[tls-agent]").contains("the agent is off");
                assertThat(said.get(0)).contains(bad.contains("=") ? bad.substring(0, bad.indexOf('=')) : bad);
                assertThat(p.records()).isEmpty();
                assertThat(listening(p.metricsPort)).isFalse();
            }
        }
    }

    /**
     * The configuration is read in premain itself: a program that ends at once still hears about a bad setting, and
     * before its own first line (stdout and stderr into one pipe, so their order is the order they were written).
     */
    @Test
    void aBadSettingIsSaidBeforeTheProgramsFirstLineEvenIfItEndsAtOnce() throws Exception {
        ProcessBuilder pb = new ProcessBuilder(ForkedJvm.java(), "-javaagent:" + ForkedJvm.AGENT_JAR
                + "=port=notaport", "-cp", Forks.classPath().toString(), QuickProgram.class.getName())
                .redirectErrorStream(true);
        pb.environment().keySet().removeIf(k -> k.startsWith("TLSAGENT_"));
        Process p = pb.start();
        List<String> lines = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8)
                .lines().collect(java.util.stream.Collectors.toList());
        assertThat(p.waitFor()).isZero();
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0)).isEqualTo("[tls-agent] invalid value 'notaport' for port (agent argument): expected"
                + " a TCP port 0-65535 for the /metrics endpoint (0 = no endpoint); the agent is off");
        assertThat(lines.get(1)).isEqualTo("HELLO");
    }

    @Test
    void aPortInUseIsSaidOnceAndTheLogKeepsWorking() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            try (ForkedJvm p = run("port=" + taken.getLocalPort(), List.of(), Map.of())) {
                assertThat(p.finish()).isZero();
                assertThat(p.stderr()).filteredOn(l -> l.contains("cannot serve /metrics")).hasSize(1);
                assertThat(p.records()).hasSize(2);
            }
        }
    }

    @Test
    void theAgentSaysOneLineAndNothingElse() throws Exception {
        // The workload's class path holds SLF4J's API without a provider, like many applications: the shaded
        // libraries inside the agent must not reach for it (SLF4J would print "No SLF4J providers were found").
        try (ForkedJvm p = run("", List.of(), Map.of())) {
            assertThat(p.finish()).isZero();
            assertThat(Forks.classPath().toString()).contains("slf4j-api");
            assertThat(p.stderr()).singleElement().satisfies(l -> assertThat(l).startsWith("[tls-agent]"));
        }
    }

    @Test
    void disabledMeansAbsent() throws Exception {
        try (ForkedJvm p = run("enabled=false", List.of(), Map.of())) {
            assertThat(p.finish()).isZero();
            assertThat(p.stderr()).isEmpty();
            assertThat(p.records()).isEmpty();
            assertThat(listening(p.metricsPort)).isFalse();
        }
    }

    @Test
    void argumentsBeatSystemPropertiesWhichBeatTheEnvironment() throws Exception {
        Map<String, String> env = Map.of("TLSAGENT_SERVICE_NAME", "from-env", "TLSAGENT_ENABLED", "true");
        try (ForkedJvm p = run("", List.of(), env)) {
            p.finish();
            assertThat(p.records()).extracting(r -> text(r, "service.name")).containsOnly("from-env");
        }
        try (ForkedJvm p = run("", List.of("-Dtlsagent.service_name=from-property"), env)) {
            p.finish();
            assertThat(p.records()).extracting(r -> text(r, "service.name")).containsOnly("from-property");
        }
        try (ForkedJvm p = run("service_name=from-argument", List.of("-Dtlsagent.service_name=from-property"),
                env)) {
            p.finish();
            assertThat(p.records()).extracting(r -> text(r, "service.name")).containsOnly("from-argument");
        }
    }

    @Test
    void clientHelloCaptureAndFingerprintsCanBeTurnedOff() throws Exception {
        try (ForkedJvm p = run("fingerprints=false", List.of(), Map.of())) {
            p.finish();
            assertThat(p.records()).hasSize(2).allSatisfy(r -> {
                assertThat(text(r, "tls_agent.client_hello.legacy_version")).isNotNull();
                assertThat(text(r, "tls_agent.client_hello.ja4")).isNull();
                assertThat(text(r, "tls.client.ja3")).isNull();
            });
        }
        try (ForkedJvm p = run("client_hello=false", List.of(), Map.of())) {
            p.finish();
            assertThat(p.records()).hasSize(2).allSatisfy(r -> {
                assertThat(r.at("/tls_agent/client_hello").isMissingNode()).isTrue();
                assertThat(text(r, "tls.client.ja3")).isNull();
                assertThat(text(r, "tls.version")).isEqualTo("1.3"); // the rest is still there
            });
        }
    }

    @Test
    void jsonLinesGoToStandardOutputByDefault() throws Exception {
        try (ForkedJvm p = run("log=stdout", List.of(), Map.of())) {
            assertThat(p.finish()).isZero();
            Records lines = Records.parse(p.stdout().stream().filter(l -> l.startsWith("{"))
                    .collect(Collectors.toList()));
            assertThat(lines).hasSize(2);
            assertThat(lines).extracting(r -> text(r, "tls_agent.role")).containsExactlyInAnyOrder("client", "server");
            assertThat(Files.exists(p.log)).isFalse();
        }
    }

    private static boolean listening(int port) {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    /** A runtime without the jdk.httpserver module (a custom jlink image): the endpoint is off, said once; the log works. */
    @Test
    void withoutAnHttpServerTheEndpointIsOffAndTheLogWorks() throws Exception {
        try (ForkedJvm p = Forks.workload(dir, "--steps", "socket-tls13-full,socket-untrusted")
                .jvmArgs("--limit-modules", "java.se,jdk.crypto.ec,jdk.unsupported").start()) {
            p.awaitStdout("READY");
            assertThat(p.finish()).isZero();
            assertThat(p.records()).as("stderr: " + p.stderr()).hasSize(4);
            assertThat(p.stderr()).filteredOn(l -> l.contains("no jdk.httpserver module")).hasSize(1);
            assertThat(p.stderr()).filteredOn(l -> l.contains("started")).hasSize(1);
        }
    }
}
