package io.tlsagent.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code java -jar tls-agent.jar attach|detach|list} against a JVM that is already running and doing TLS. */
class AttachIT {

    @TempDir
    Path dir;

    /** Runs the attach tool with the same java as the target; returns exit code and output. */
    private static Tool tool(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(AgentProcess.java(), "-jar",
                AgentProcess.AGENT_JAR.toAbsolutePath().toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Tool(p.exitValue(), out);
    }

    private static final class Tool {
        final int exit;
        final String output;

        Tool(int exit, String output) {
            this.exit = exit;
            this.output = output;
        }
    }

    private static void step(AgentProcess p, String steps) throws Exception {
        p.send(steps);
        p.awaitStdout("DONE " + steps);
    }

    /** Waits (bounded) for the log to hold {@code n} lines; lines are written within a second. */
    private static void awaitRecords(AgentProcess p, int n) throws Exception {
        for (int i = 0; i < 50 && p.records().size() < n; i++) {
            Thread.sleep(100);
        }
        assertThat(p.records()).hasSize(n);
    }

    @Test
    void attachRecordsLaterHandshakesOnlyAndDetachStopsRecording() throws Exception {
        try (AgentProcess p = AgentProcess.start(dir, null, List.of(), Workload.class.getName(), "--interactive")) {
            p.awaitStdout("INTERACTIVE " + p.pid());
            step(p, "socket-tls13-full,engine-tls12-full"); // before the agent: never recorded
            String pid = Long.toString(p.pid());
            assertThat(tool("list").output).contains(pid);

            int port = AgentProcess.freePort();
            String settings = "port=" + port + ",host=127.0.0.1,log=file:" + p.log;
            Tool attach = tool("attach", pid, settings);
            assertThat(attach.exit).as(attach.output).isZero();
            step(p, "socket-tls12-full,engine-tls13-full");
            awaitRecords(p, 4);
            assertThat(new Scrape(AgentProcess.scrape(port)).sum("tls_handshakes_total")).isEqualTo(4.0);

            Tool again = tool("attach", pid, settings);
            assertThat(again.exit).isEqualTo(1);
            assertThat(again.output).contains("already runs tls-agent");

            Tool detach = tool("detach", pid);
            assertThat(detach.exit).as(detach.output).isZero();
            step(p, "socket-tls13-full");
            Thread.sleep(1500); // longer than a line takes to be written
            assertThat(p.records()).as("nothing recorded after detach").hasSize(4);
            assertThat(listening(port)).as("endpoint stopped").isFalse();
            assertThat(tool("detach", pid).output).contains("does not run tls-agent");

            int port2 = AgentProcess.freePort();
            Tool reattach = tool("attach", pid, "port=" + port2 + ",host=127.0.0.1,log=file:" + p.log);
            assertThat(reattach.exit).as(reattach.output).isZero();
            step(p, "socket-tls13-full");
            awaitRecords(p, 6);
            assertThat(new Scrape(AgentProcess.scrape(port2)).sum("tls_handshakes_total")).isEqualTo(2.0);
            assertThat(p.finish()).isZero();
            assertThat(p.stderr()).filteredOn(l -> l.startsWith("[tls-agent]"))
                    .anySatisfy(l -> assertThat(l).contains("detached"));
        }
    }

    @Test
    void clearErrors() throws Exception {
        Tool missing = tool("attach", "2147483646");
        assertThat(missing.exit).isEqualTo(1);
        assertThat(missing.output).contains("no process with pid 2147483646");

        assertThat(tool("attach", "abc").exit).isEqualTo(2);
        assertThat(tool("frobnicate").exit).isEqualTo(2);

        Process sleeper = new ProcessBuilder("sleep", "60").start();
        try {
            Tool notJava = tool("attach", Long.toString(sleeper.pid()));
            assertThat(notJava.exit).isEqualTo(1);
            assertThat(notJava.output).contains("is not a JVM");
            assertThat(sleeper.isAlive()).as("never signalled").isTrue();
        } finally {
            sleeper.destroy();
        }

        try (AgentProcess locked = AgentProcess.start(dir, null, List.of("-XX:+DisableAttachMechanism"),
                Workload.class.getName(), "--interactive")) {
            locked.awaitStdout("INTERACTIVE " + locked.pid());
            Tool refused = tool("attach", Long.toString(locked.pid()));
            assertThat(refused.exit).isEqualTo(1);
            assertThat(refused.output).contains("DisableAttachMechanism");
            assertThat(locked.finish()).isZero();
        }
    }

    private static boolean listening(int port) {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
