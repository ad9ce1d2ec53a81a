package io.tlsagent.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tlsagent.testsupport.ForkedJvm;
import io.tlsagent.testsupport.JfrEvents;
import io.tlsagent.testsupport.Records;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code tlsagent.Handshake} JFR event in a real recording: {@code jcmd <pid> JFR.start}, handshakes,
 * {@code JFR.dump}, then the JDK's own {@code jfr print --json} (of the same JDK as the recorded JVM), compared
 * with the JSON log lines of the same handshakes.
 */
@Tag("jdk")
class JfrIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String STEPS = "socket-tls13-full,engine-tls12-full,socket-untrusted,engine-version-mismatch";

    @TempDir
    Path dir;



    /** One event per log line, with the same values; each event starts and ends with its handshake. */
    private static void assertSameHandshakes(List<JsonNode> log, List<JsonNode> events, Instant before,
            Instant after) {
        assertThat(events).hasSameSizeAs(log);
        Map<String, JsonNode> byThreadAndRole = new HashMap<>();
        for (JsonNode e : events) {
            String key = e.path("eventThread").path("javaName").asText() + "|" + e.path("role").asText();
            assertThat(byThreadAndRole.put(key, e)).as("one event for " + key).isNull();
        }
        List<Long> gaps = new ArrayList<>();
        for (JsonNode r : log) {
            String key = Records.text(r, "process.thread.name") + "|" + Records.text(r, "tls_agent.role");
            JsonNode e = byThreadAndRole.get(key);
            assertThat(e).as("event for " + key + " in " + byThreadAndRole.keySet()).isNotNull();
            assertSameHandshake(r, e, gaps);
            assertThat(Instant.parse(e.path("startTime").asText())).isBetween(before.minusMillis(100), after);
        }
        assertTimesAgree(gaps);
    }

    /**
     * The events' start and duration are their handshakes' within a millisecond, in the median: the record's clock is
     * read right after the event's begins and ends, and a thread preempted (or stopped at a safepoint) between the
     * two, on a loaded machine, puts that pause into one of them (JdkHttpIT saw 6.7 ms once).
     */
    private static void assertTimesAgree(List<Long> gaps) {
        List<Long> sorted = new ArrayList<>(gaps);
        Collections.sort(sorted);
        assertThat(sorted).isNotEmpty();
        assertThat(sorted.get(sorted.size() / 2)).as("median gap between event and record, ns: %s", sorted)
                .isLessThanOrEqualTo(1_000_000L);
    }

    /**
     * The event says what the log line says; how far its start and duration are from the handshake's (the line's
     * {@code @timestamp}, its end, less {@code event.duration}, and {@code event.duration}) goes into {@code gaps}.
     */
    private static void assertSameHandshake(JsonNode r, JsonNode e, List<Long> gaps) {
        String version = Records.text(r, "tls.version");
        assertThat(e.path("protocol").isNull() ? null : e.path("protocol").asText())
                .isEqualTo(version == null ? null : "TLSv" + version);
        assertThat(text(e, "cipherSuite")).isEqualTo(Records.text(r, "tls.cipher"));
        assertThat(text(e, "api")).isEqualTo(Records.text(r, "tls_agent.api"));
        assertThat(text(e, "resumption")).isEqualTo(Records.text(r, "tls_agent.resumption"));
        assertThat(e.path("success").asBoolean()).isEqualTo("success".equals(Records.text(r, "event.outcome")));
        assertThat(text(e, "errorType")).isEqualTo(Records.text(r, "error.type"));
        assertThat(text(e, "errorMessage")).isEqualTo(Records.text(r, "error.message"));
        assertThat(text(e, "ja4")).isEqualTo(Records.text(r, "tls_agent.client_hello.ja4"));
        assertThat(text(e, "ja3")).isEqualTo(Records.text(r, "tls.client.ja3"));
        boolean client = "client".equals(Records.text(r, "tls_agent.role"));
        String peerPort = Records.text(r, (client ? "server" : "client") + ".port");
        assertThat(e.path("peerPort").asText()).isEqualTo(peerPort == null ? "-1" : peerPort);
        String localPort = Records.text(r, (client ? "client" : "server") + ".port");
        assertThat(e.path("localPort").asText()).isEqualTo(localPort == null ? "-1" : localPort);
        assertThat(e.path("stackTrace").isNull()).isTrue();

        long nanos = Long.parseLong(Records.text(r, "event.duration"));
        gaps.add(Math.abs(Duration.parse(e.path("duration").asText()).toNanos() - nanos));
        Instant start = Instant.parse(Records.text(r, "@timestamp")).minusNanos(nanos);
        gaps.add(Duration.between(start, Instant.parse(e.path("startTime").asText())).abs().toNanos());
    }

    private static String text(JsonNode e, String field) {
        JsonNode v = e.path(field);
        return v.isNull() || v.isMissingNode() ? null : v.asText();
    }

    private void recordAndCompare(ForkedJvm p, int expectedBefore) throws Exception {
        String pid = Long.toString(p.pid());
        WatchIT.jcmd(p.pid(), "JFR.start", "name=t");
        Instant before = Instant.now();
        p.step(STEPS);
        List<JsonNode> log = p.awaitRecords(expectedBefore + 8);
        Instant after = Instant.now();
        Path recording = dir.resolve("t-" + pid + ".jfr");
        WatchIT.jcmd(p.pid(), "JFR.dump", "name=t", "filename=" + recording);
        assertSameHandshakes(log.subList(expectedBefore, log.size()), JfrEvents.handshakes(recording), before, after);
        assertThat(log.subList(expectedBefore, log.size()))
                .anySatisfy(r -> assertThat(Records.text(r, "event.outcome")).isEqualTo("failure"));
    }

    @Test
    void aRecordingStartedWithJcmdHoldsOneEventPerHandshakeWithTheLogsValues() throws Exception {
        try (ForkedJvm p = Forks.workload(dir, "--interactive").start()) {
            p.awaitStdout("INTERACTIVE " + p.pid());
            p.step("socket-tls13-full"); // before the recording: not in it
            p.awaitRecords(2);
            p.send("jfr-initialized");
            p.awaitStdout("JFR-INITIALIZED false"); // the agent leaves Flight Recorder alone until a recording starts
            recordAndCompare(p, 2);
            assertThat(p.finish()).isZero();
        }
    }

    @Test
    void anAttachedAgentIsRecordedByARecordingThatRanBefore() throws Exception {
        try (ForkedJvm p = Forks.workload(dir, "--interactive").withoutAgent().start()) {
            p.awaitStdout("INTERACTIVE " + p.pid());
            WatchIT.jcmd(p.pid(), "JFR.start", "name=early");
            Process attach = new ProcessBuilder(ForkedJvm.agentCommand("attach", Long.toString(p.pid()),
                    "port=0,log=file:" + p.log)).redirectErrorStream(true).start();
            String out = new String(attach.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(attach.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(attach.exitValue()).as(out).isZero();
            Instant before = Instant.now();
            p.step(STEPS);
            List<JsonNode> log = p.awaitRecords(8);
            Instant after = Instant.now();
            Path early = dir.resolve("early.jfr");
            WatchIT.jcmd(p.pid(), "JFR.dump", "name=early", "filename=" + early);
            assertSameHandshakes(log, JfrEvents.handshakes(early), before, after);
            assertThat(p.finish()).isZero();
        }
    }

    /**
     * A recording's threshold for the event keeps only the slow handshakes: the settings file of docs/jfr (500 ms;
     * JDK 11 has no other way), and on JDK 17+ also the option {@code +tlsagent.Handshake#threshold=500ms}.
     */
    @Test
    void aThresholdKeepsTheSlowHandshakeAndDropsTheFastOnes() throws Exception {
        Path jfc = Paths.get("../docs/jfr/tls-slow-handshakes.jfc").toAbsolutePath().normalize();
        assertThat(jfc).isRegularFile();
        try (ForkedJvm p = Forks.workload(dir, "--interactive").start()) {
            p.awaitStdout("INTERACTIVE " + p.pid());
            List<String> options = new ArrayList<>(List.of("settings=default", "settings=" + jfc));
            int records = 0;
            for (int round = 0; round < (javaFeature() >= 17 ? 2 : 1); round++) {
                String name = "slow" + round;
                List<String> start = new ArrayList<>(List.of("JFR.start", "name=" + name));
                start.addAll(round == 0 ? options : List.of("+tlsagent.Handshake#threshold=500ms"));
                WatchIT.jcmd(p.pid(), start.toArray(new String[0]));
                p.step("engine-tls13-full,socket-tls13-full,engine-tls13-slow");
                List<JsonNode> log = p.awaitRecords(records + 6).subList(records, records + 6);
                records += 6;
                Path recording = dir.resolve(name + ".jfr");
                WatchIT.jcmd(p.pid(), "JFR.stop", "name=" + name, "filename=" + recording);
                List<JsonNode> events = JfrEvents.handshakes(recording);
                long threshold = 500_000_000L;
                long margin = 5_000_000L; // what is this close to the threshold is not judged
                List<JsonNode> slow = new ArrayList<>();
                long fast = 0;
                for (JsonNode r : log) {
                    long nanos = Long.parseLong(Records.text(r, "event.duration"));
                    if (nanos > threshold + margin) {
                        slow.add(r);
                    } else if (nanos < threshold - margin) {
                        fast++;
                    }
                }
                assertThat(slow).as("the slow server's handshake, both sides: " + log).hasSizeGreaterThanOrEqualTo(2);
                assertThat(fast).as("fast handshakes to drop: " + log).isPositive();
                assertThat(events).as(name + ": one event per slow handshake, none for the fast ones")
                        .hasSize((int) log.stream().filter(r -> Long.parseLong(Records.text(r, "event.duration"))
                                >= threshold).count());
                List<Long> gaps = new ArrayList<>();
                for (JsonNode r : slow) {
                    long nanos = Long.parseLong(Records.text(r, "event.duration"));
                    JsonNode e = events.stream().filter(ev -> ev.path("role").asText()
                            .equals(Records.text(r, "tls_agent.role")))
                            .min(Comparator.comparingLong(ev -> Math.abs(Duration.parse(
                                    ev.path("duration").asText()).toNanos() - nanos)))
                            .orElseThrow(() -> new AssertionError("no event for " + r + " in " + events));
                    assertSameHandshake(r, e, gaps);
                }
                assertTimesAgree(gaps);
            }
            assertThat(p.finish()).isZero();
        }
    }

    private static int javaFeature() throws Exception {
        Process v = new ProcessBuilder(ForkedJvm.java(), "-version").redirectErrorStream(true).start();
        String out = new String(v.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        v.waitFor(30, TimeUnit.SECONDS);
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("version \"(\\d+)").matcher(out);
        assertThat(m.find()).as(out).isTrue();
        return Integer.parseInt(m.group(1));
    }

    @Test
    void jfrFalseCommitsNoEvent() throws Exception {
        try (ForkedJvm p = Forks.workload(dir, "--interactive").agentArgs("jfr=false").start()) {
            p.awaitStdout("INTERACTIVE " + p.pid());
            WatchIT.jcmd(p.pid(), "JFR.start", "name=t");
            p.step("socket-tls13-full");
            p.awaitRecords(2);
            Path recording = dir.resolve("off.jfr");
            WatchIT.jcmd(p.pid(), "JFR.dump", "name=t", "filename=" + recording);
            assertThat(JfrEvents.handshakes(recording)).isEmpty();
            assertThat(p.finish()).isZero();
        }
    }

    /** A runtime without the jdk.jfr module (as a custom jlink image): said once, everything else works. */
    @Test
    void withoutTheJfrModuleTheAgentSaysSoOnceAndRecordsAsUsual() throws Exception {
        try (ForkedJvm p = Forks.workload(dir, "--steps", "socket-tls13-full,socket-untrusted")
                .jvmArgs("--limit-modules", "java.se,jdk.crypto.ec,jdk.unsupported,jdk.httpserver").start()) {
            p.awaitStdout("READY");
            assertThat(p.finish()).isZero();
            assertThat(p.records()).as("stderr: " + p.stderr()).hasSize(4);
            assertThat(p.stderr()).filteredOn(l -> l.contains("JFR is not available")).hasSize(1);
            assertThat(p.stderr()).noneSatisfy(l -> assertThat(l).contains("Exception"));
        }
    }
}
