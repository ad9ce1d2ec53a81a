package io.tlsagent.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.tlsagent.testsupport.ForkedJvm;
import io.tlsagent.testsupport.TestPki;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The metrics endpoint locked down: HTTPS only and basic authentication, checked with curl. */
class EndpointSecurityIT {

    @TempDir
    Path dir;

    private static final String PASSWORD = "s3cret-Pa55";

    @Test
    void httpsAndBasicAuthentication() throws Exception {
        TestPki.createIn(dir);
        Path keystore = dir.resolve(TestPki.SERVER_KEYSTORE);
        String ca = dir.resolve(TestPki.CA_PEM).toString();
        try (ForkedJvm p = Forks.workload(dir, "--steps", "socket-tls13-full", "--hold")
                .agentArgs("auth_user=prometheus,tls_keystore=" + keystore + ",tls_keystore_password="
                        + TestPki.PASSWORD)
                .env("TLSAGENT_AUTH_PASSWORD", PASSWORD).start()) {
            p.awaitStdout("READY");
            String url = "https://localhost:" + p.metricsPort + "/metrics";
            assertThat(curl("--cacert", ca, url)).startsWith("401");
            assertThat(curl("--cacert", ca, "-u", "prometheus:wrong", url)).startsWith("401");
            assertThat(curl("--cacert", ca, "-u", "someone:" + PASSWORD, url)).startsWith("401");
            String ok = curl("--cacert", ca, "-u", "prometheus:" + PASSWORD, url);
            assertThat(ok).startsWith("200").contains("tls_handshakes_total{");
            // Plain HTTP gets no metrics: the port speaks TLS only.
            String plain = curl("http://127.0.0.1:" + p.metricsPort + "/metrics");
            assertThat(plain).doesNotContain("tls_handshakes_total").doesNotStartWith("200");
            assertThat(p.finish()).isZero();
            assertThat(p.stderr()).filteredOn(l -> l.startsWith("[tls-agent]")).singleElement()
                    .satisfies(l -> assertThat(l).contains("https://").contains("basic authentication"));
            // The endpoint's own handshakes (curl's) are not the application's: only the step's two are recorded.
            assertThat(p.records()).hasSize(2);
            String everything = String.join("\n", p.stderr()) + String.join("\n", p.stdout())
                    + new String(Files.readAllBytes(p.log));
            assertThat(everything).doesNotContain(PASSWORD);
        }
    }

    /** {@code <http status> <body>} (status 000 when the connection failed). */
    private static String curl(String... args) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of("curl", "-s", "-m", "10", "-w", "\n%{http_code}"));
        cmd.addAll(List.of(args));
        String out = Openssl.run(cmd, 0);
        int nl = out.lastIndexOf('\n');
        return out.substring(nl + 1).trim() + " " + out.substring(0, Math.max(nl, 0));
    }
}
