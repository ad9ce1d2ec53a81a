package io.tlsagent.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * A separate JVM running {@link Workload} (or any main class) with the built {@code tls-agent.jar}. Its stdout and
 * stderr are collected; the JSON log goes to a file the test reads after the process exits.
 */
final class AgentProcess implements AutoCloseable {

    static final Path AGENT_JAR = Paths.get(System.getProperty("tlsagent.test.jar", "target/tls-agent.jar"));
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Process process;
    private final List<String> stdout = Collections.synchronizedList(new ArrayList<>());
    private final List<String> stderr = Collections.synchronizedList(new ArrayList<>());
    final int metricsPort;
    final Path log;

    private AgentProcess(Process process, int metricsPort, Path log) {
        this.process = process;
        this.metricsPort = metricsPort;
        this.log = log;
        pump(process.getInputStream(), stdout, "stdout");
        pump(process.getErrorStream(), stderr, "stderr");
    }

    /** The java to run: the one running the tests, or {@code -Dtlsagent.test.java=/path/to/bin/java}. */
    static String java() {
        String configured = System.getProperty("tlsagent.test.java", "");
        return configured.isEmpty() ? Paths.get(System.getProperty("java.home"), "bin", "java").toString()
                : configured;
    }

    /**
     * Starts {@code mainClass} with the agent; {@code agentArgs} are added to the log and port settings (null for
     * a JVM without the agent). The classpath holds the test classes and Bouncy Castle only, never the agent's
     * own classes, so the agent comes from the jar alone.
     */
    static AgentProcess start(Path dir, String agentArgs, List<String> jvmArgs, String mainClass, String... args)
            throws IOException {
        return start(dir, agentArgs, jvmArgs, java.util.Map.of(), mainClass, args);
    }

    static AgentProcess start(Path dir, String agentArgs, List<String> jvmArgs, java.util.Map<String, String> env,
            String mainClass, String... args) throws IOException {
        int port = freePort();
        Path log = dir.resolve("handshakes.jsonl");
        List<String> cmd = new ArrayList<>();
        cmd.add(java());
        if (agentArgs != null) {
            String settings = "port=" + port + ",host=127.0.0.1,log=file:" + log;
            cmd.add("-javaagent:" + AGENT_JAR.toAbsolutePath() + "=" + settings
                    + (agentArgs.isEmpty() ? "" : "," + agentArgs));
        }
        cmd.addAll(jvmArgs);
        cmd.add("-cp");
        cmd.add(testClasspath());
        cmd.add(mainClass);
        Collections.addAll(cmd, args);
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("TLSAGENT_"));
        pb.environment().putAll(env);
        return new AgentProcess(pb.start(), port, log);
    }

    static String testClasspath() {
        return List.of(System.getProperty("java.class.path").split(File.pathSeparator)).stream()
                .filter(e -> e.endsWith("test-classes") || e.contains("bouncycastle") || e.contains("/bc")
                        || e.contains("slf4j-api")) // an application's own SLF4J, as many have
                .collect(Collectors.joining(File.pathSeparator));
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    static void pump(java.io.InputStream in, List<String> into, String name) {
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    into.add(line);
                }
            } catch (IOException ignored) {
                // process ended
            }
        }, "it-" + name);
        t.setDaemon(true);
        t.start();
    }

    /** Waits until the process printed {@code line} on stdout (or died, or the time passed). */
    AgentProcess awaitStdout(String line) throws InterruptedException {
        return awaitStdout(line, 60);
    }

    AgentProcess awaitStdout(String line, long seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < deadline) {
            synchronized (stdout) {
                if (stdout.contains(line)) {
                    return this;
                }
            }
            if (!process.isAlive()) {
                break;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no '" + line + "' on stdout; stdout: " + stdout + "\nstderr: " + stderr);
    }

    /** The first stdout line starting with {@code prefix}, without the prefix. */
    String stdoutValue(String prefix) {
        synchronized (stdout) {
            return stdout.stream().filter(l -> l.startsWith(prefix)).map(l -> l.substring(prefix.length()))
                    .findFirst().orElseThrow(() -> new AssertionError("no " + prefix + " in " + stdout));
        }
    }

    List<String> stdout() {
        synchronized (stdout) {
            return new ArrayList<>(stdout);
        }
    }

    List<String> stderr() {
        synchronized (stderr) {
            return new ArrayList<>(stderr);
        }
    }

    /** A full GC in the process, with the JDK's own jcmd (what the agent holds weakly must then be gone). */
    void gc() throws IOException, InterruptedException {
        Path jcmd = Paths.get(java()).resolveSibling("jcmd");
        Process p = new ProcessBuilder(jcmd.toString(), Long.toString(process.pid()), "GC.run")
                .redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    }

    long pid() {
        return process.pid();
    }

    /** Writes one line to the process's stdin (see Workload --interactive). */
    void send(String line) throws IOException {
        process.getOutputStream().write((line + "\n").getBytes(StandardCharsets.UTF_8));
        process.getOutputStream().flush();
    }

    /** Runs Workload steps in an {@code --interactive} program and waits until they are done. */
    void step(String steps) throws IOException, InterruptedException {
        send(steps);
        awaitStdout("DONE " + steps);
    }

    /** Waits (bounded: lines are written within a second) for the log to hold {@code n} lines, and returns them. */
    List<JsonNode> awaitRecords(int n) throws IOException, InterruptedException {
        for (int i = 0; i < 100 && records().size() < n; i++) {
            Thread.sleep(100);
        }
        List<JsonNode> records = records();
        assertThat(records).hasSize(n);
        return records;
    }

    /** A real scrape of the agent's endpoint. */
    String scrape() throws IOException, InterruptedException {
        return scrape(metricsPort);
    }

    static String scrape(int port) throws IOException, InterruptedException {
        HttpResponse<String> r = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                        .timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        return r.body();
    }

    /** Closes stdin (the workload then exits) and waits for the exit code. */
    int finish() throws InterruptedException, IOException {
        process.getOutputStream().close();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("workload did not exit; stderr: " + stderr);
        }
        return process.exitValue();
    }

    /** The JSON lines the agent wrote, each parsed; fails on a line that is not one JSON object. */
    List<JsonNode> records() throws IOException {
        if (!Files.exists(log)) {
            return List.of();
        }
        List<JsonNode> records = new ArrayList<>();
        for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
            try {
                JsonNode node = JSON.readTree(line);
                assertThat(node.isObject()).as(line).isTrue();
                records.add(node);
            } catch (IOException e) {
                throw new UncheckedIOException("not a JSON line: " + line, e);
            }
        }
        return records;
    }

    /** Counts the JSON lines, each parsed as one object, without keeping them (long soak runs write millions). */
    long countRecords() throws IOException {
        long n = 0;
        try (BufferedReader r = Files.newBufferedReader(log, StandardCharsets.UTF_8)) {
            String line;
            while ((line = r.readLine()) != null) {
                assertThat(JSON.readTree(line).isObject()).as(line).isTrue();
                n++;
            }
        }
        return n;
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }
}
