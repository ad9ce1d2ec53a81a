package io.tlsagent.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.tlsagent.testsupport.ForkedJvm;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code java -jar tls-agent.jar attach|detach|list} against a JVM that is already running and doing TLS. */
@Tag("jdk")
class AttachIT {

    @TempDir
    Path dir;

    /** Runs the attach tool with the same java as the target; returns exit code and output. */
    private static Tool tool(String... args) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(ForkedJvm.agentCommand(args)).redirectErrorStream(true).start();
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



    @Test
    void attachRecordsLaterHandshakesOnlyAndDetachStopsRecording() throws Exception {
        try (ForkedJvm p = Forks.workload(dir, "--interactive").withoutAgent().start()) {
            p.awaitStdout("INTERACTIVE " + p.pid());
            p.step("socket-tls13-full,engine-tls12-full"); // before the agent: never recorded
            String pid = Long.toString(p.pid());
            assertThat(tool("list").output).contains(pid);

            int port = ForkedJvm.freePort();
            String settings = "port=" + port + ",host=127.0.0.1,log=file:" + p.log;
            Tool attach = tool("attach", pid, settings);
            assertThat(attach.exit).as(attach.output).isZero();
            // The agent's own start line, read back from the target: where the metrics are, where the log goes.
            assertThat(attach.output).contains("attached to " + pid)
                    .contains("[tls-agent] tls-agent ").contains(" started; metrics on http://127.0.0.1:" + port)
                    .contains("JSON log: " + p.log);
            p.step("socket-tls12-full,engine-tls13-full");
            p.awaitRecords(4);
            assertThat(ForkedJvm.scrape(port).sum("tls_handshakes_total")).isEqualTo(4.0);

            Tool again = tool("attach", pid, settings);
            assertThat(again.exit).isEqualTo(1);
            assertThat(again.output).contains("already runs tls-agent");

            Tool detach = tool("detach", pid);
            assertThat(detach.exit).as(detach.output).isZero();
            p.step("socket-tls13-full");
            Thread.sleep(1500); // longer than a line takes to be written
            assertThat(p.records()).as("nothing recorded after detach").hasSize(4);
            assertThat(listening(port)).as("endpoint stopped").isFalse();
            assertThat(tool("detach", pid).output).contains("does not run tls-agent");

            int port2 = ForkedJvm.freePort();
            Tool reattach = tool("attach", pid, "port=" + port2 + ",host=127.0.0.1,log=file:" + p.log);
            assertThat(reattach.exit).as(reattach.output).isZero();
            p.step("socket-tls13-full");
            p.awaitRecords(6);
            assertThat(ForkedJvm.scrape(port2).sum("tls_handshakes_total")).isEqualTo(2.0);
            assertThat(p.finish()).isZero();
            assertThat(p.stderr()).filteredOn(l -> l.startsWith("[tls-agent]"))
                    .anySatisfy(l -> assertThat(l).contains("detached"));
        }
    }

    /**
     * What went wrong in the target is what the attaching user sees: a metrics port already in use (the agent runs,
     * without its endpoint: exit 0, the target's line says why), a bad setting (the agent is off: exit 1).
     */
    @Test
    void theToolShowsWhatTheAgentSaidInTheTarget() throws Exception {
        try (ForkedJvm p = Forks.workload(dir, "--interactive").withoutAgent().start();
                ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            p.awaitStdout("INTERACTIVE " + p.pid());
            String pid = Long.toString(p.pid());

            Tool bad = tool("attach", pid, "port=notaport");
            assertThat(bad.exit).as(bad.output).isEqualTo(1);
            assertThat(bad.output).contains("did not start in " + pid)
                    .contains("invalid value 'notaport' for port").contains("the agent is off");

            int port = taken.getLocalPort();
            Tool busy = tool("attach", pid, "port=" + port + ",host=127.0.0.1,log=file:" + p.log);
            assertThat(busy.exit).as("the agent runs, without its endpoint: " + busy.output).isZero();
            assertThat(busy.output).contains("attached to " + pid)
                    .contains("cannot serve /metrics on 127.0.0.1:" + port)
                    .contains("Address already in use")
                    .contains("started; JSON log: " + p.log);
            p.step("socket-tls13-full");
            p.awaitRecords(2);
            assertThat(tool("detach", pid).exit).isZero();
            assertThat(WatchIT.systemProperties(p.pid())).as("no trace after detach")
                    .doesNotContain("io.tlsagent.running", "io.tlsagent.metrics", "io.tlsagent.attach");
            assertThat(p.finish()).isZero();
        }
    }

    /**
     * {@code list}: every JVM of this user but the tool itself, those running the agent marked with their endpoint,
     * and a JVM that cannot answer (stopped with SIGSTOP) said as such within the bounded wait.
     */
    @Test
    void listMarksTheAgentsJvmsAndNeverHangs() throws Exception {
        Path withAgentDir = java.nio.file.Files.createDirectories(dir.resolve("with"));
        try (ForkedJvm with = Forks.workload(withAgentDir, "--interactive").start();
                ForkedJvm without = Forks.workload(dir, "--interactive").withoutAgent().start();
                ForkedJvm stopped = Forks.workload(dir, "--interactive").withoutAgent().start()) {
            with.awaitStdout("INTERACTIVE " + with.pid());
            without.awaitStdout("INTERACTIVE " + without.pid());
            stopped.awaitStdout("INTERACTIVE " + stopped.pid());
            with.step("socket-tls13-full"); // the agent has started (and its endpoint is up)
            Process stop = new ProcessBuilder("kill", "-STOP", Long.toString(stopped.pid())).start();
            assertThat(stop.waitFor()).isZero();
            try {
                long begin = System.nanoTime();
                Tool list = tool("list");
                long millis = (System.nanoTime() - begin) / 1_000_000;
                assertThat(list.exit).as(list.output).isZero();
                assertThat(line(list.output, with.pid())).contains("[runs tls-agent ")
                        .contains("metrics on http://127.0.0.1:" + with.metricsPort + "/metrics");
                assertThat(line(list.output, without.pid())).doesNotContain("tls-agent");
                assertThat(line(list.output, stopped.pid())).contains("did not answer within 2 s");
                assertThat(list.output).as("the tool leaves itself out").doesNotContain("tls-agent.jar list");
                assertThat(millis).as("bounded (a JVM start and 2 s)").isLessThan(30_000);
            } finally {
                new ProcessBuilder("kill", "-CONT", Long.toString(stopped.pid())).start().waitFor();
            }
            assertThat(with.finish()).isZero();
            assertThat(without.finish()).isZero();
            assertThat(stopped.finish()).isZero();
        }
    }

    private static String line(String output, long pid) {
        return output.lines().filter(l -> l.startsWith(pid + " ")).findFirst()
                .orElseThrow(() -> new AssertionError("no line for " + pid + " in:\n" + output));
    }

    static final int CYCLES = Integer.getInteger("tlsagent.attach.cycles", 8);

    /** Attach, record, detach, nothing recorded: again and again, without the JVM growing. */
    @Test
    void attachAndDetachAgainAndAgain() throws Exception {
        Path classLog = dir.resolve("classes.log");
        try (ForkedJvm p = Forks.workload(dir, "--interactive").withoutAgent()
                .jvmArgs("-Xlog:class+load:file=" + classLog).start()) {
            p.awaitStdout("INTERACTIVE " + p.pid());
            String pid = Long.toString(p.pid());
            List<String> stats = new java.util.ArrayList<>();
            List<Integer> classLoads = new java.util.ArrayList<>();
            int expected = 0;
            for (int cycle = 0; cycle < CYCLES; cycle++) {
                int port = ForkedJvm.freePort();
                Tool attach = tool("attach", pid, "port=" + port + ",host=127.0.0.1,log=file:" + p.log);
                assertThat(attach.exit).as(attach.output).isZero();
                p.step("socket-tls13-full");
                expected += 2;
                p.awaitRecords(expected);
                Tool detach = tool("detach", pid);
                assertThat(detach.exit).as(detach.output).isZero();
                p.step("engine-tls12-full");
                p.send("stats");
                stats.add(awaitStats(p, cycle + 1));
                classLoads.add(newClasses(classLog));
            }
            Thread.sleep(1200);
            assertThat(p.records()).as("nothing after each detach").hasSize(expected);
            assertThat(p.finish()).isZero();
            // After the first cycles (which load the agent's classes once), no class is loaded again: the JVM's log
            // shows only the redefinitions of the hooked JSSE classes (attach and detach each retransform them; the
            // JVM's loaded-class count rises by those) and the JDK's own reflection accessors.
            long[] first = parse(stats.get(2));
            long[] last = parse(stats.get(stats.size() - 1));
            int cycles = stats.size() - 3;
            // (A JDK class loaded lazily once along the way is fine; one loaded every cycle is not.)
            assertThat(classLoads.get(classLoads.size() - 1) - classLoads.get(2)).as("classes loaded " + classLoads)
                    .isLessThan(cycles);
            assertThat(last[0]).as("threads " + stats).isEqualTo(first[0]);
            assertThat(last[2]).as("heap after GC " + stats).isLessThan(first[2] + 16L * 1024 * 1024);
            // What the JVM keeps of each redefinition: measured at about 100 KB a cycle (README, Hardening).
            assertThat(last[3] - first[3]).as("metaspace " + stats).isLessThan(256L * 1024 * cycles);
        }
    }

    /**
     * Class loads in the JVM's log that are neither redefinitions nor the JDK's reflection plumbing: its generated
     * accessors, and (JDK 18+, where core reflection runs on method handles) the lambda forms it spins once for each
     * handle that turns hot. Byte Buddy reads the advice classes reflectively on every attach, so with more hooks
     * those turn hot in an earlier cycle; a once-per-handle cost, not growth.
     */
    private static int newClasses(Path classLog) throws Exception {
        int n = 0;
        for (String line : java.nio.file.Files.readAllLines(classLog)) {
            if (!line.contains("__VM_RedefineClasses__") && !line.contains("jdk.internal.reflect.Generated")
                    && !line.contains("java.lang.invoke.LambdaForm$")) {
                n++;
            }
        }
        return n;
    }

    private static String awaitStats(ForkedJvm p, int n) throws Exception {
        for (int i = 0; i < 100; i++) {
            List<String> lines = new java.util.ArrayList<>();
            for (String l : p.stdout()) {
                if (l.startsWith("STATS ")) {
                    lines.add(l);
                }
            }
            if (lines.size() >= n) {
                return lines.get(n - 1);
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no STATS");
    }

    /** threads, classes, heap, metaspace. */
    private static long[] parse(String stats) {
        String[] parts = stats.split("[ =]");
        return new long[] {Long.parseLong(parts[2]), Long.parseLong(parts[4]), Long.parseLong(parts[6]),
            Long.parseLong(parts[8])};
    }

    @Test
    void clearErrors() throws Exception {
        Tool missing = tool("attach", "2147483646");
        assertThat(missing.exit).isEqualTo(1);
        assertThat(missing.output).contains("no process with pid 2147483646");

        assertThat(tool("attach", "abc").exit).isEqualTo(2);
        Tool unknown = tool("wacth", "123");
        assertThat(unknown.exit).isEqualTo(2);
        assertThat(unknown.output).startsWith("tls-agent: unknown command 'wacth'\nusage: ");
        Tool help = tool("--help");
        assertThat(help.exit).as(help.output).isZero();
        assertThat(help.output).startsWith("usage: ").contains("exit code");

        Process sleeper = new ProcessBuilder("sleep", "60").start();
        try {
            Tool notJava = tool("attach", Long.toString(sleeper.pid()));
            assertThat(notJava.exit).isEqualTo(1);
            assertThat(notJava.output).contains("is not a JVM");
            assertThat(sleeper.isAlive()).as("never signalled").isTrue();
        } finally {
            sleeper.destroy();
        }

        try (ForkedJvm locked = Forks.workload(dir, "--interactive").withoutAgent()
                .jvmArgs("-XX:+DisableAttachMechanism").start()) {
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
