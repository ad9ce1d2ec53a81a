package io.tlsagent.compat;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
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
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A separate JVM running one of the programs in {@code io.tlsagent.compat.apps} (or {@code ...jdk17}) with the
 * built {@code tls-agent.jar}: {@code -javaagent:tls-agent.jar=port=<free>,host=127.0.0.1,log=file:<dir>/handshakes.jsonl}.
 * Its class path is this module's test classes and test dependencies, never the agent's own classes.
 */
public final class AgentJvm implements AutoCloseable {

    public static final Path AGENT_JAR = Paths.get(System.getProperty("tlsagent.test.jar",
            "../agent/target/tls-agent.jar")).toAbsolutePath().normalize();
    public static final Path OTEL_JAR = Paths.get(System.getProperty("tlsagent.test.otel.jar",
            "target/otel/opentelemetry-javaagent.jar")).toAbsolutePath().normalize();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static Integer forkedFeature;

    private final Process process;
    private final List<String> stdout = Collections.synchronizedList(new ArrayList<>());
    private final List<String> stderr = Collections.synchronizedList(new ArrayList<>());
    public final int metricsPort;
    public final Path log;
    public final List<String> command;

    private AgentJvm(Process process, int metricsPort, Path log, List<String> command) {
        this.process = process;
        this.metricsPort = metricsPort;
        this.log = log;
        this.command = command;
        pump(process.getInputStream(), stdout, "stdout");
        pump(process.getErrorStream(), stderr, "stderr");
    }

    /** The java to fork: the one running the tests, or {@code -Dtlsagent.test.java=/path/to/bin/java}. */
    public static String java() {
        String configured = System.getProperty("tlsagent.test.java", "");
        return configured.isEmpty() ? Paths.get(System.getProperty("java.home"), "bin", "java").toString()
                : configured;
    }

    /** The feature version (11, 17, 25, ...) of {@link #java()}, asked once. */
    public static synchronized int javaFeature() throws IOException, InterruptedException {
        if (forkedFeature == null) {
            Process p = new ProcessBuilder(java(), "-XshowSettings:properties", "-version").redirectErrorStream(true)
                    .start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor(30, TimeUnit.SECONDS);
            Matcher m = Pattern.compile("java\\.specification\\.version = (\\d+)").matcher(out);
            if (!m.find()) {
                throw new AssertionError("cannot tell the version of " + java() + ":\n" + out);
            }
            forkedFeature = Integer.parseInt(m.group(1));
        }
        return forkedFeature;
    }

    public static Builder builder(Path dir, String mainClass) {
        return new Builder(dir, mainClass);
    }

    public static final class Builder {
        private final Path dir;
        private final String mainClass;
        private final List<String> beforeAgent = new ArrayList<>();
        private final List<String> afterAgent = new ArrayList<>();
        private final List<String> args = new ArrayList<>();
        private boolean withAgent = true;

        private Builder(Path dir, String mainClass) {
            this.dir = dir;
            this.mainClass = mainClass;
        }

        /** JVM options placed before our {@code -javaagent} (another agent that should load first). */
        public Builder beforeAgent(String... options) {
            Collections.addAll(beforeAgent, options);
            return this;
        }

        /** JVM options placed after our {@code -javaagent}. */
        public Builder afterAgent(String... options) {
            Collections.addAll(afterAgent, options);
            return this;
        }

        public Builder args(String... programArgs) {
            Collections.addAll(args, programArgs);
            return this;
        }

        public Builder withoutAgent() {
            withAgent = false;
            return this;
        }

        public AgentJvm start() throws IOException {
            assertThat(AGENT_JAR).as("build the agent first: mvn -B -q -f agent/pom.xml package -DskipTests")
                    .isRegularFile();
            int port = freePort();
            Path log = dir.resolve("handshakes.jsonl");
            List<String> cmd = new ArrayList<>();
            cmd.add(java());
            cmd.addAll(beforeAgent);
            if (withAgent) {
                cmd.add("-javaagent:" + AGENT_JAR + "=port=" + port + ",host=127.0.0.1,log=file:" + log);
            }
            cmd.addAll(afterAgent);
            cmd.add("-cp");
            cmd.add(classpath());
            cmd.add(mainClass);
            cmd.addAll(args);
            ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile());
            pb.environment().keySet().removeIf(k -> k.startsWith("TLSAGENT_") || k.startsWith("OTEL_")
                    || k.equals("JAVA_TOOL_OPTIONS") || k.equals("JDK_JAVA_OPTIONS"));
            return new AgentJvm(pb.start(), port, log, cmd);
        }
    }

    /**
     * The test class path of this module (test classes and the test dependencies), less the test runner's own
     * jars and anything of the agent: the agent must come from its jar alone.
     */
    static String classpath() {
        List<String> entries = new ArrayList<>();
        for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
            String name = Paths.get(e).getFileName().toString();
            String path = e.replace('\\', '/');
            boolean agent = name.startsWith("tls-agent") || path.contains("/agent/target/")
                    || path.contains("/io/tlsagent/tls-agent/");
            boolean runner = name.startsWith("surefire") || name.startsWith("failsafe");
            if (!agent && !runner && !e.isEmpty()) {
                entries.add(e);
            }
        }
        return String.join(File.pathSeparator, entries);
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static void pump(InputStream in, List<String> into, String name) {
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    into.add(line);
                }
            } catch (IOException ignored) {
                // process ended
            }
        }, "fork-" + name);
        t.setDaemon(true);
        t.start();
    }

    public long pid() {
        return process.pid();
    }

    /** Waits until the program printed {@code READY} (or died, or 90 s passed). */
    public AgentJvm awaitReady() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (System.nanoTime() < deadline) {
            if (stdout().contains("READY")) {
                return this;
            }
            if (!process.isAlive()) {
                Thread.sleep(200); // let the pumps drain
                break;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no READY from " + command + "\nstdout: " + String.join("\n", stdout())
                + "\nstderr: " + String.join("\n", stderr()));
    }

    /** The first stdout line starting with {@code key + " "}, without it. */
    public String value(String key) {
        return stdout().stream().filter(l -> l.startsWith(key + " ")).map(l -> l.substring(key.length() + 1))
                .findFirst().orElseThrow(() -> new AssertionError("no " + key + " in " + stdout()));
    }

    /** The stdout lines starting with {@code key + " "}, without it. */
    public List<String> values(String key) {
        return stdout().stream().filter(l -> l.startsWith(key + " ")).map(l -> l.substring(key.length() + 1))
                .collect(Collectors.toList());
    }

    public List<String> stdout() {
        synchronized (stdout) {
            return new ArrayList<>(stdout);
        }
    }

    public List<String> stderr() {
        synchronized (stderr) {
            return new ArrayList<>(stderr);
        }
    }

    /** A real scrape of the agent's endpoint (kept in {@code target/compat-logs/<name>.metrics.txt}). */
    public Scrape scrape(String name) throws IOException, InterruptedException {
        String text = get("http://127.0.0.1:" + metricsPort + "/metrics");
        Path keep = Paths.get(System.getProperty("tlsagent.test.logs", "target/compat-logs"));
        Files.createDirectories(keep);
        Files.writeString(keep.resolve(name + ".metrics.txt"), text);
        return new Scrape(text);
    }

    /** GET over plain HTTP from the test JVM; asserts 200. */
    public static String get(String url) throws IOException, InterruptedException {
        HttpResponse<String> r = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(url).isEqualTo(200);
        return r.body();
    }

    /** Closes stdin (the program then exits) and waits for the exit code. */
    public int finish() throws InterruptedException, IOException {
        process.getOutputStream().close();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("program did not exit; stderr: " + stderr());
        }
        Thread.sleep(100); // let the pumps drain
        return process.exitValue();
    }

    /**
     * The JSON lines the agent wrote, each parsed; fails on a line that is not one JSON object. A copy of the file,
     * stdout and stderr is kept in {@code target/compat-logs/<name>.*} to look at after the run.
     */
    public List<JsonNode> records(String name) throws IOException {
        Path keep = Paths.get(System.getProperty("tlsagent.test.logs", "target/compat-logs"));
        Files.createDirectories(keep);
        Files.write(keep.resolve(name + ".stdout.txt"), stdout(), StandardCharsets.UTF_8);
        Files.write(keep.resolve(name + ".stderr.txt"), stderr(), StandardCharsets.UTF_8);
        if (!Files.exists(log)) {
            Files.deleteIfExists(keep.resolve(name + ".handshakes.jsonl"));
            return List.of();
        }
        Files.copy(log, keep.resolve(name + ".handshakes.jsonl"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
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

    @Override
    public void close() {
        process.destroyForcibly();
    }
}
