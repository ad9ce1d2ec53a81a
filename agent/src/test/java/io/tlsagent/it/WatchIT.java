package io.tlsagent.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.tlsagent.testsupport.ForkedJvm;
import io.tlsagent.testsupport.Records;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code java -jar tls-agent.jar watch <pid>} as a person uses it: in a terminal (tmux), against a JVM doing real
 * handshakes; its lines are checked against the JSON log of the same handshakes, then Ctrl-C.
 */
class WatchIT {

    @TempDir
    Path dir;

    @BeforeAll
    static void tmux() {
        assumeTrue(Tmux.available(), "tmux is not installed (.ci/run installs it)");
    }

    private static String watchCommand(long pid, String options) {
        return "exec '" + ForkedJvm.java() + "' -jar '" + ForkedJvm.AGENT_JAR + "' watch " + pid
                + (options.isEmpty() ? "" : " " + options);
    }



    /** The screen's lines that show a handshake (they start with a time). */
    private static List<String> handshakeLines(String screen) {
        return screen.lines().filter(l -> l.matches("^\\d\\d:\\d\\d:\\d\\d\\.\\d{3} .*")).collect(Collectors.toList());
    }

    /** The peer as watch shows it: its address (IPv4 here), else the name the application gave; and the port. */
    private static String peer(JsonNode r) {
        String side = "client".equals(Records.text(r, "tls_agent.role")) ? "server" : "client";
        String address = Records.text(r, side + ".address");
        return (address != null ? address : Records.text(r, side + ".domain")) + ":" + Records.text(r, side + ".port");
    }

    @Test
    void watchingAJvmThatRunsTheAgentShowsEachHandshakeOfItsLog() throws Exception {
        // log_detail=full: --json prints each handshake's full line, which the log then writes too.
        try (ForkedJvm p = Forks.workload(dir, "--interactive").agentArgs("log_detail=full").start()) {
            p.awaitStdout("INTERACTIVE " + p.pid());
            JsonWatch json;
            try (Tmux terminal = new Tmux(watchCommand(p.pid(), ""))) {
                json = new JsonWatch(p.pid());
                terminal.await(s -> s.contains("Ctrl-C to stop") && s.contains("TIME"), "the watch starting");
                json.awaitStarted();
                p.step("socket-tls12-full,socket-untrusted");
                List<JsonNode> log = p.awaitRecords(4);
                String screen = terminal.await(s -> handshakeLines(s).size() == 4, "4 handshakes");

                List<String> lines = handshakeLines(screen);
                for (JsonNode r : log) {
                    String line = lines.stream().filter(l -> l.contains(" " + peer(r) + " ")).findFirst()
                            .orElseThrow(() -> new AssertionError("no line for " + peer(r) + " in\n" + screen));
                    assertThat(line).contains(" " + Records.text(r, "tls_agent.role") + " ");
                    if ("success".equals(Records.text(r, "event.outcome"))) {
                        assertThat(line).contains(" TLSv1.2 ", " " + Records.text(r, "tls.cipher") + " ")
                                .endsWith(" ok");
                    } else {
                        assertThat(line).contains("FAILED " + Records.text(r, "error.type"));
                    }
                    double ms = Long.parseLong(Records.text(r, "event.duration")) / 1e6;
                    assertThat(line).contains(String.format(java.util.Locale.ROOT, " %.1f ms ", ms));
                }
                // Failures in colour (a terminal), successes not.
                List<String> red = redLines(terminal.screen(true));
                assertThat(red).as(terminal.screen(true)).hasSize(2).allSatisfy(l -> assertThat(l).contains("FAILED"));

                // --json: the full lines, here exactly the log's (each keeps the order its thread drained)
                List<String> logLines = Files.readAllLines(p.log, StandardCharsets.UTF_8);
                assertThat(json.awaitLines(4)).containsExactlyInAnyOrderElementsOf(logLines);

                terminal.sendKeys("C-c");
                String end = terminal.await(s -> terminal.paneDeadQuietly().startsWith("1"), "the watch ending");
                assertThat(end).doesNotContain("Exception in", "\tat ");
            }
            // The agent it watched keeps running as before, its log goes on; the --json watch still gets each line.
            p.step("socket-tls13-full");
            p.awaitRecords(6);
            assertThat(json.awaitLines(6)).containsExactlyInAnyOrderElementsOf(
                    Files.readAllLines(p.log, StandardCharsets.UTF_8));
            assertThat(systemProperties(p.pid())).contains("io.tlsagent.watch=").contains("io.tlsagent.running=");
            Path secretFile = Path.of(systemProperties(p.pid()).lines()
                    .filter(l -> l.startsWith("io.tlsagent.watch=")).findFirst().orElseThrow().substring(18));
            assertThat(secretFile).exists();
            // The JVM ends while watched: the watch ends by itself, the secret file goes with the JVM.
            assertThat(p.finish()).isZero();
            assertThat(json.awaitExit()).isZero();
            assertThat(json.errors()).anySatisfy(l -> assertThat(l).contains("watch channel of " + p.pid() + " closed"));
            assertThat(secretFile).doesNotExist();
        }
    }

    @Test
    void watchingAJvmWithoutTheAgentLoadsItForTheWatchOnlyAndCtrlCRemovesIt() throws Exception {
        try (ForkedJvm p = Forks.workload(dir, "--interactive").withoutAgent().start()) {
            p.awaitStdout("INTERACTIVE " + p.pid());
            String before = systemProperties(p.pid());
            assertThat(before).doesNotContain("io.tlsagent.running");
            List<String> agentPropertiesBefore = agentProperties(before);
            try (Tmux terminal = new Tmux(watchCommand(p.pid(), "--failures --role client"))) {
                terminal.await(s -> s.contains("Ctrl-C to stop"), "the watch starting");
                assertThat(systemProperties(p.pid())).contains("io.tlsagent.running=").contains("(watch only)");
                assertThat(listeningPorts(p.pid())).as("only the loopback watch channel").hasSize(1)
                        .allSatisfy(a -> assertThat(a).startsWith("127.0.0.1:"));
                p.step("socket-tls13-full,socket-untrusted,engine-version-mismatch");
                String screen = terminal.await(s -> handshakeLines(s).size() >= 2, "the client's failures");
                Thread.sleep(1500); // longer than a line takes to arrive: nothing else comes
                List<String> lines = handshakeLines(terminal.screen(false));
                assertThat(lines).as(screen).hasSize(2).allSatisfy(l -> assertThat(l).contains(" client ", "FAILED"));
                assertThat(lines).anySatisfy(l -> assertThat(l).contains("FAILED certificate_untrusted"));
                assertThat(lines).anySatisfy(l -> assertThat(l).contains("FAILED protocol_version"));

                terminal.sendKeys("C-c");
                String end = terminal.await(s -> s.contains("detached from " + p.pid()), "the agent detached");
                assertThat(end).doesNotContain("Exception in", "\tat ");
            }
            // The JVM is as before: no agent, no channel, no port; attaching works as on a JVM never watched.
            String after = systemProperties(p.pid());
            assertThat(after).doesNotContain("io.tlsagent.running").doesNotContain("io.tlsagent.watch=");
            assertThat(agentProperties(after)).as("the agent's (and its Byte Buddy's) system properties")
                    .isEqualTo(agentPropertiesBefore);
            assertThat(listeningPorts(p.pid())).isEmpty();
            assertThat(p.stderr()).anySatisfy(l -> assertThat(l).contains("tls-agent detached"));
            int port = ForkedJvm.freePort();
            Process attach = new ProcessBuilder(ForkedJvm.agentCommand("attach", Long.toString(p.pid()),
                    "port=" + port + ",host=127.0.0.1,log=file:" + p.log)).redirectErrorStream(true).start();
            String out = new String(attach.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(attach.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(attach.exitValue()).as(out).isZero();
            p.step("socket-tls13-full");
            p.awaitRecords(2);
            assertThat(p.finish()).isZero();
        }
    }

    /** A watch killed without a chance to say goodbye (SIGKILL): the watch-only agent still goes. */
    @Test
    void aKilledWatchStillLeavesNoAgentBehind() throws Exception {
        try (ForkedJvm p = Forks.workload(dir, "--interactive").withoutAgent().start()) {
            p.awaitStdout("INTERACTIVE " + p.pid());
            JsonWatch watch = new JsonWatch(p.pid());
            watch.awaitStarted();
            assertThat(systemProperties(p.pid())).contains("io.tlsagent.running=");
            watch.kill();
            String properties = systemProperties(p.pid());
            for (int i = 0; i < 300 && properties.contains("io.tlsagent.running="); i++) {
                Thread.sleep(100);
                properties = systemProperties(p.pid());
            }
            assertThat(properties).doesNotContain("io.tlsagent.running").doesNotContain("io.tlsagent.watch=");
            assertThat(listeningPorts(p.pid())).isEmpty();
            assertThat(p.stderr()).anySatisfy(l -> assertThat(l).contains("tls-agent detached"));
            p.step("socket-tls13-full");
            assertThat(p.finish()).isZero();
        }
    }

    /**
     * The handshake lines whose text is red, from {@code capture-pane -e}: tmux emits only changes of attributes,
     * also across lines, so the colour state is followed through the whole screen.
     */
    private static List<String> redLines(String screen) {
        List<String> red = new ArrayList<>();
        java.util.regex.Matcher sgr = java.util.regex.Pattern.compile("\u001b\\[([0-9;]*)m").matcher("");
        boolean on = false;
        for (String line : screen.split("\n", -1)) {
            sgr.reset(line);
            StringBuilder text = new StringBuilder();
            int at = 0;
            Boolean redAtStart = null;
            while (true) {
                boolean found = sgr.find();
                int end = found ? sgr.start() : line.length();
                if (end > at && redAtStart == null) {
                    redAtStart = on;
                }
                text.append(line, at, end);
                if (!found) {
                    break;
                }
                for (String code : sgr.group(1).split(";")) {
                    if (code.isEmpty() || code.equals("0") || code.equals("39")) {
                        on = false;
                    } else if (code.equals("31")) {
                        on = true;
                    }
                }
                at = sgr.end();
            }
            if (Boolean.TRUE.equals(redAtStart) && !handshakeLines(text.toString()).isEmpty()) {
                red.add(text.toString());
            }
        }
        return red;
    }

    private static List<String> agentProperties(String properties) {
        return properties.lines().filter(l -> l.contains("tlsagent") || l.contains("bytebuddy")).sorted()
                .collect(Collectors.toList());
    }

    /** The target's system properties, from the JDK's jcmd. */
    static String systemProperties(long pid) throws IOException, InterruptedException {
        return jcmd(pid, "VM.system_properties");
    }

    static String jcmd(long pid, String... command) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(
                java.nio.file.Paths.get(ForkedJvm.java()).resolveSibling("jcmd").toString(), Long.toString(pid)));
        Collections.addAll(cmd, command);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        return out;
    }

    /** The TCP ports the process listens on (local address:port), from /proc: its sockets' inodes. */
    private static List<String> listeningPorts(long pid) throws IOException {
        java.util.Set<String> inodes = new java.util.HashSet<>();
        try (java.util.stream.Stream<Path> fds = Files.list(Path.of("/proc/" + pid + "/fd"))) {
            for (Path fd : (Iterable<Path>) fds::iterator) {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith("socket:[")) {
                        inodes.add(target.substring(8, target.length() - 1));
                    }
                } catch (IOException gone) {
                    // closed meanwhile
                }
            }
        }
        List<String> listening = new ArrayList<>();
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            for (String line : Files.readAllLines(Path.of(table)).subList(1, Files.readAllLines(Path.of(table)).size())) {
                String[] f = line.trim().split("\\s+");
                if (f[3].equals("0A") && inodes.contains(f[9])) { // 0A: LISTEN
                    listening.add(address(f[1]));
                }
            }
        }
        return listening;
    }

    /** /proc/net/tcp's "0100007F:1F90" as 127.0.0.1:8080 (IPv4-mapped IPv6 too; other IPv6 as hex). */
    private static String address(String hex) {
        String[] parts = hex.split(":");
        int port = Integer.parseInt(parts[1], 16);
        if (parts[0].startsWith("0000000000000000FFFF0000")) {
            parts[0] = parts[0].substring(24);
        }
        if (parts[0].length() == 8) {
            long a = Long.parseLong(parts[0], 16);
            return (a & 0xff) + "." + ((a >> 8) & 0xff) + "." + ((a >> 16) & 0xff) + "." + ((a >> 24) & 0xff) + ":"
                    + port;
        }
        return parts[0] + ":" + port;
    }

    /** {@code watch --json} as a plain child process, its stdout collected. */
    private static final class JsonWatch implements AutoCloseable {
        private final Process process;
        private final List<String> lines = Collections.synchronizedList(new ArrayList<>());
        private final List<String> errors = Collections.synchronizedList(new ArrayList<>());

        JsonWatch(long pid) throws IOException {
            process = new ProcessBuilder(ForkedJvm.agentCommand("watch", Long.toString(pid), "--json")).start();
            ForkedJvm.readLines(process.getInputStream(), lines, "watch stdout");
            ForkedJvm.readLines(process.getErrorStream(), errors, "watch stderr");
        }


        void awaitStarted() throws InterruptedException {
            for (int i = 0; i < 600 && errors.stream().noneMatch(l -> l.contains("Ctrl-C")); i++) {
                assertThat(process.isAlive()).as("watch --json: " + errors).isTrue();
                Thread.sleep(100);
            }
            assertThat(errors).anySatisfy(l -> assertThat(l).contains("Ctrl-C"));
        }

        List<String> awaitLines(int n) throws InterruptedException {
            for (int i = 0; i < 100 && lines.size() < n; i++) {
                Thread.sleep(100);
            }
            Thread.sleep(500); // no more than n
            synchronized (lines) {
                return new ArrayList<>(lines);
            }
        }

        int awaitExit() throws InterruptedException {
            assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("watch --json ends with its target").isTrue();
            return process.exitValue();
        }

        List<String> errors() {
            synchronized (errors) {
                return new ArrayList<>(errors);
            }
        }

        void kill() throws InterruptedException {
            process.destroyForcibly();
            assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }

        @Override
        public void close() throws InterruptedException {
            process.destroy(); // SIGTERM: the same shutdown hook as Ctrl-C
            assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
    }
}
