package io.tlsagent.compat;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Clients that are not Java: curl and {@code openssl s_client}, as an operator points them at a service. */
public final class OutsidePeers {

    private OutsidePeers() {}

    /** {@code curl -sk URL} (one connection, one handshake); returns the body. */
    public static String curl(String url, String... options) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("curl", "-sSk", "--max-time", "20"));
        cmd.addAll(Arrays.asList(options));
        cmd.add(url);
        return run(cmd, "");
    }

    /** One {@code openssl s_client} handshake with the server, which it then leaves ({@code Q}). */
    public static String openssl(int port, String... options) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("openssl", "s_client", "-connect", "127.0.0.1:" + port,
                "-servername", "localhost"));
        cmd.addAll(Arrays.asList(options));
        String out = run(cmd, "Q\n");
        assertThat(out).as("openssl handshook").contains("Cipher is").doesNotContain("Cipher is (NONE)");
        return out;
    }

    /** {@code promtool check metrics} on text-format families; returns its output (asserts it passes). */
    public static String promtool(String families) throws IOException, InterruptedException {
        return run(List.of("promtool", "check", "metrics"), families);
    }

    private static String run(List<String> cmd, String stdin) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("%s ends", cmd).isTrue();
        assertThat(p.exitValue()).as("%s exit status; output:%n%s", cmd, out).isZero();
        return out;
    }
}
