package io.tlsagent.compat;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tlsagent.testsupport.ForkedJvm;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The two other views of a JVM's handshakes, as their users read them: {@code java -jar tls-agent.jar watch <pid>}
 * (its lines, piped: plain columns) and a JFR recording printed by the JDK's own {@code jfr print --json}.
 */
public final class WatchAndJfr {

    private static final ObjectMapper JSON = new ObjectMapper();

    private WatchAndJfr() {}

    /** A running {@code watch} of a JVM; its stdout lines are collected. */
    public static final class Watch implements AutoCloseable {
        private final Process process;
        private final List<String> lines = Collections.synchronizedList(new ArrayList<>());

        private Watch(Process process) {
            this.process = process;
            Thread pump = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(),
                        StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = r.readLine()) != null) {
                        lines.add(line);
                    }
                } catch (IOException ended) {
                    // the watch ended
                }
            }, "watch-stdout");
            pump.setDaemon(true);
            pump.start();
        }

        /** Starts watching {@code pid} and waits for the header line (the watch is then connected). */
        public static Watch start(long pid) throws IOException, InterruptedException {
            Process p = new ProcessBuilder(ForkedJvm.java(), "-jar", ForkedJvm.AGENT_JAR.toString(), "watch",
                    Long.toString(pid)).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            Watch w = new Watch(p);
            w.await(1);
            return w;
        }

        /** Waits (at most 30 s) until it printed {@code n} lines (the header is one). */
        public List<String> await(int n) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (lines().size() < n && System.nanoTime() < deadline && process.isAlive()) {
                Thread.sleep(50);
            }
            assertThat(lines()).as("the watch's lines").hasSizeGreaterThanOrEqualTo(n);
            return lines();
        }

        public List<String> lines() {
            synchronized (lines) {
                return new ArrayList<>(lines);
            }
        }

        /** The lines of the handshakes (the header left out), each split into its columns. */
        public List<String[]> rows() {
            List<String[]> rows = new ArrayList<>();
            for (String l : lines()) {
                if (!l.startsWith("TIME ")) {
                    rows.add(l.trim().split("\\s+"));
                }
            }
            return rows;
        }

        /** Ends the watch as Ctrl-C does. */
        @Override
        public void close() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }
}
