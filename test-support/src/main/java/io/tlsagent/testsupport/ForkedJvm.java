package io.tlsagent.testsupport;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A JVM of its own for an integration test: a main class (or a jar) run with the built {@code tls-agent.jar} as
 * {@code -javaagent:tls-agent.jar=port=<free>,host=127.0.0.1,log=file:<dir>/handshakes.jsonl[,<more settings>]}, or
 * without the agent, in {@code dir}. Its stdout and stderr are collected line by line; the test reads the agent's
 * JSON log ({@link #records()}) and scrapes its endpoint ({@link #scrape()}). Made by a {@link Builder}:
 *
 * <pre>
 * try (ForkedJvm jvm = ForkedJvm.builder(dir, Workload.class).agentArgs("jfr=false").args("--interactive").start()) {
 *     jvm.awaitStdout("INTERACTIVE " + jvm.pid());
 *     jvm.step("socket-tls13-full");
 *     Records records = jvm.awaitRecords(2);
 * }
 * </pre>
 *
 * <p>System properties: {@code tlsagent.test.jar} the agent jar (each module's build sets it),
 * {@code tlsagent.test.java} the {@code bin/java} to fork (the test runner's by default), {@code tlsagent.test.logs}
 * where {@link Builder#keepLogsAs} copies what a fork left.
 */
public final class ForkedJvm implements AutoCloseable {

    /** The agent under test: {@code -Dtlsagent.test.jar}, else the reactor's build of it. */
    public static final Path AGENT_JAR = agentJar();

    private static Integer javaFeature;

    private final Process process;
    private final List<String> stdout = Collections.synchronizedList(new ArrayList<>());
    private final List<String> stderr = Collections.synchronizedList(new ArrayList<>());
    private final List<Thread> readers = new ArrayList<>();
    private final String keepAs;
    /** The agent's /metrics port (nothing listens there without the agent). */
    public final int metricsPort;
    /** The agent's JSON log: {@code <dir>/handshakes.jsonl} (unless the agent arguments say otherwise). */
    public final Path log;
    /** The command line, for messages. */
    public final List<String> command;

    private ForkedJvm(Process process, Builder b, int metricsPort, Path log, List<String> command) {
        this.process = process;
        this.keepAs = b.keepAs;
        this.metricsPort = metricsPort;
        this.log = log;
        this.command = List.copyOf(command);
        if (b.collectStdout) {
            readers.add(readLines(process.getInputStream(), stdout, "fork-stdout"));
        }
        if (b.stderrFile == null) {
            readers.add(readLines(process.getErrorStream(), stderr, "fork-stderr"));
        }
    }

    /** A fork of {@code mainClass} on {@link ClassPath#ofTests()}, with the agent. */
    public static Builder builder(Path dir, Class<?> mainClass) {
        return new Builder(dir, mainClass.getName(), null);
    }

    public static Builder builder(Path dir, String mainClass) {
        return new Builder(dir, mainClass, null);
    }

    /** {@code java -jar jar}, with the agent. */
    public static Builder jar(Path dir, Path jar) {
        return new Builder(dir, null, jar);
    }

    /** How to start a forked JVM. */
    public static final class Builder {
        private final Path dir;
        private final String mainClass;
        private final Path jar;
        private boolean withAgent = true;
        private String agentArgs = "";
        private final List<String> beforeAgent = new ArrayList<>();
        private final List<String> jvmArgs = new ArrayList<>();
        private final Map<String, String> env = new LinkedHashMap<>();
        private ClassPath classPath;
        private final List<String> args = new ArrayList<>();
        private boolean collectStdout = true;
        private Path stderrFile;
        private String keepAs;

        private Builder(Path dir, String mainClass, Path jar) {
            this.dir = dir;
            this.mainClass = mainClass;
            this.jar = jar;
        }

        /** No {@code -javaagent}: a JVM to attach to, or to compare with. */
        public Builder withoutAgent() {
            withAgent = false;
            return this;
        }

        /** Agent settings after the port, host and log ones ({@code key=value,...}; a later key wins). */
        public Builder agentArgs(String settings) {
            agentArgs = settings;
            return this;
        }

        /** JVM options before our {@code -javaagent} (another agent that should load first). */
        public Builder beforeAgent(String... options) {
            Collections.addAll(beforeAgent, options);
            return this;
        }

        /** JVM options after our {@code -javaagent}. */
        public Builder jvmArgs(String... options) {
            Collections.addAll(jvmArgs, options);
            return this;
        }

        public Builder jvmArgs(List<String> options) {
            jvmArgs.addAll(options);
            return this;
        }

        /**
         * An environment variable. The fork inherits the test's environment less {@code TLSAGENT_*},
         * {@code OTEL_*}, {@code JAVA_TOOL_OPTIONS} and {@code JDK_JAVA_OPTIONS}, which would change what it runs.
         */
        public Builder env(String name, String value) {
            env.put(name, value);
            return this;
        }

        public Builder env(Map<String, String> variables) {
            env.putAll(variables);
            return this;
        }

        /** The fork's class path ({@link ClassPath#ofTests()} unless told); not used with {@link #jar}. */
        public Builder classPath(ClassPath classPath) {
            this.classPath = classPath;
            return this;
        }

        /** The program's arguments. */
        public Builder args(String... programArgs) {
            Collections.addAll(args, programArgs);
            return this;
        }

        /** Stdout not kept (a program that prints more than a test should hold, such as JSON lines at full speed). */
        public Builder discardStdout() {
            collectStdout = false;
            return this;
        }

        /** Stderr into {@code file} instead of {@link ForkedJvm#stderr()}. */
        public Builder stderrTo(Path file) {
            stderrFile = file;
            return this;
        }

        /**
         * Copies of what the fork left, for a look after the run, in {@code -Dtlsagent.test.logs}
         * ({@code target/fork-logs}): {@code <name>.stdout.txt}, {@code .stderr.txt} and {@code .handshakes.jsonl}
         * at each {@link ForkedJvm#records()}, {@code <name>.metrics.txt} at each {@link ForkedJvm#scrape()}.
         */
        public Builder keepLogsAs(String name) {
            keepAs = name;
            return this;
        }

        public ForkedJvm start() throws IOException {
            int port = freePort();
            Path log = dir.resolve("handshakes.jsonl");
            List<String> cmd = new ArrayList<>();
            cmd.add(java());
            cmd.addAll(beforeAgent);
            if (withAgent) {
                if (!Files.isRegularFile(AGENT_JAR)) {
                    throw new IllegalStateException("no agent jar at " + AGENT_JAR
                            + ": build it first (mvn -B -q -pl agent -am package -DskipTests)");
                }
                cmd.add("-javaagent:" + AGENT_JAR + "=port=" + port + ",host=127.0.0.1,log=file:" + log
                        + (agentArgs.isEmpty() ? "" : "," + agentArgs));
            }
            cmd.addAll(jvmArgs);
            if (jar != null) {
                cmd.add("-jar");
                cmd.add(jar.toString());
            } else {
                cmd.add("-cp");
                cmd.add((classPath == null ? ClassPath.ofTests() : classPath).toString());
                cmd.add(mainClass);
            }
            cmd.addAll(args);
            ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile());
            pb.environment().keySet().removeIf(k -> k.startsWith("TLSAGENT_") || k.startsWith("OTEL_")
                    || k.equals("JAVA_TOOL_OPTIONS") || k.equals("JDK_JAVA_OPTIONS"));
            pb.environment().putAll(env);
            if (!collectStdout) {
                pb.redirectOutput(ProcessBuilder.Redirect.DISCARD);
            }
            if (stderrFile != null) {
                pb.redirectError(stderrFile.toFile());
            }
            return new ForkedJvm(pb.start(), this, port, log, cmd);
        }
    }

    // ---- the JVM

    /** The java to fork: {@code -Dtlsagent.test.java=/path/to/bin/java}, or the one running the tests. */
    public static String java() {
        String configured = System.getProperty("tlsagent.test.java", "");
        return configured.isEmpty() ? Paths.get(System.getProperty("java.home"), "bin", "java").toString()
                : configured;
    }

    /** The feature version (11, 17, 25, ...) of {@link #java()}, asked once. */
    public static synchronized int javaFeature() throws IOException, InterruptedException {
        if (javaFeature == null) {
            Process p = new ProcessBuilder(java(), "-XshowSettings:properties", "-version").redirectErrorStream(true)
                    .start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor(30, TimeUnit.SECONDS);
            Matcher m = Pattern.compile("java\\.specification\\.version = (\\d+)").matcher(out);
            if (!m.find()) {
                throw new IllegalStateException("cannot tell the version of " + java() + ":\n" + out);
            }
            javaFeature = Integer.parseInt(m.group(1));
        }
        return javaFeature;
    }

    /** The agent jar's own command line: {@code java -jar tls-agent.jar <args>} (attach, detach, watch, report). */
    public static List<String> agentCommand(String... args) {
        List<String> cmd = new ArrayList<>(List.of(java(), "-jar", AGENT_JAR.toString()));
        Collections.addAll(cmd, args);
        return cmd;
    }

    private static Path agentJar() {
        String configured = System.getProperty("tlsagent.test.jar", "");
        if (!configured.isEmpty()) {
            return Paths.get(configured).toAbsolutePath().normalize();
        }
        Path here = Paths.get("target", "tls-agent.jar"); // the agent module's own tests
        Path sibling = Paths.get("..", "agent", "target", "tls-agent.jar"); // any other module's
        return (Files.isRegularFile(here) ? here : sibling).toAbsolutePath().normalize();
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Writes one line to the program's stdin. */
    public void send(String line) throws IOException {
        process.getOutputStream().write((line + "\n").getBytes(StandardCharsets.UTF_8));
        process.getOutputStream().flush();
    }

    /** Sends {@code steps} to an interactive program and waits for its {@code DONE <steps>}. */
    public void step(String steps) throws IOException, InterruptedException {
        send(steps);
        awaitStdout("DONE " + steps);
    }

    /** Waits until the program printed {@code READY} (90 s at the most). */
    public ForkedJvm awaitReady() throws InterruptedException {
        return awaitStdout("READY", 90);
    }

    /** Waits until the program printed the line {@code line} (60 s at the most). */
    public ForkedJvm awaitStdout(String line) throws InterruptedException {
        return awaitStdout(line, 60);
    }

    /** Waits until the program printed the line {@code line}; fails when it ended or the time passed without it. */
    public ForkedJvm awaitStdout(String line, long seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < deadline) {
            if (stdout().contains(line)) {
                return this;
            }
            if (!process.isAlive()) {
                joinReaders();
                if (stdout().contains(line)) {
                    return this;
                }
                break;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no '" + line + "' from " + command + (process.isAlive() ? "" : " (it ended)")
                + "\nstdout: " + String.join("\n", stdout()) + "\nstderr: " + String.join("\n", stderr()));
    }

    /** Waits until a line on stderr contains {@code fragment} (60 s at the most); fails when it ended without one. */
    public ForkedJvm awaitStderr(String fragment) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (stderr().stream().anyMatch(l -> l.contains(fragment))) {
                return this;
            }
            if (!process.isAlive()) {
                joinReaders();
                if (stderr().stream().anyMatch(l -> l.contains(fragment))) {
                    return this;
                }
                break;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no '" + fragment + "' on the stderr of " + command
                + (process.isAlive() ? "" : " (it ended)") + ": " + String.join("\n", stderr()));
    }

    /** The first stdout line {@code <key> <value>}: its value. */
    public String value(String key) {
        List<String> values = values(key);
        if (values.isEmpty()) {
            throw new AssertionError("no " + key + " on stdout: " + stdout());
        }
        return values.get(0);
    }

    /** The values of the stdout lines {@code <key> <value>}, in order. */
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

    /** A full GC in the program, with the JDK's own jcmd (what the agent holds weakly must then be gone). */
    public void gc() throws IOException, InterruptedException {
        Path jcmd = Paths.get(java()).resolveSibling("jcmd");
        Process p = new ProcessBuilder(jcmd.toString(), Long.toString(process.pid()), "GC.run")
                .redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new AssertionError("jcmd " + process.pid() + " GC.run failed");
        }
    }

    /** Closes stdin (the program then exits) and waits for its exit code (60 s at the most). */
    public int finish() throws InterruptedException, IOException {
        process.getOutputStream().close();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(command + " did not exit; stderr: " + stderr());
        }
        joinReaders();
        return process.exitValue();
    }

    private void joinReaders() throws InterruptedException {
        for (Thread t : readers) {
            t.join(5_000);
        }
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }

    // ---- what the agent wrote

    /** A real scrape of the agent's endpoint. */
    public Scrape scrape() throws IOException, InterruptedException {
        Scrape scrape = scrape(metricsPort);
        if (keepAs != null) {
            Files.writeString(keepDir().resolve(keepAs + ".metrics.txt"), scrape.text);
        }
        return scrape;
    }

    /**
     * A scrape taken once the agent's export thread has handed every handshake counted so far to its exporters.
     * {@code tls_handshakes_total} is counted on the handshake's own thread; the histograms, the other meters and
     * the log get each record later, on the export thread, the log after the meters. So this waits (10 s at the
     * most, as {@link #awaitRecords}) until the log has a line per handshake counted in a first scrape, then scrapes
     * again. Needs the log on, and no handshake going on.
     */
    public Scrape scrapeOnceExported() throws IOException, InterruptedException {
        long counted = Math.round(scrape().sum("tls_handshakes_total"));
        for (int i = 0; i < 100 && countRecords() < counted; i++) {
            Thread.sleep(100);
        }
        return scrape();
    }

    /**
     * The first scrape once the agent's endpoint listens (30 s at the most): the agent starts it beside the
     * application, so a program can be done setting up before it answers.
     */
    public Scrape scrapeOnceListening() throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            try {
                return scrape();
            } catch (IOException notYetListening) {
                if (System.nanoTime() > deadline) {
                    throw notYetListening;
                }
                Thread.sleep(100);
            }
        }
    }

    /** The agent's JSON lines so far, each parsed; fails on a line that is not one JSON object. */
    public Records records() throws IOException {
        if (keepAs != null) {
            Path keep = keepDir();
            Files.write(keep.resolve(keepAs + ".stdout.txt"), stdout(), StandardCharsets.UTF_8);
            Files.write(keep.resolve(keepAs + ".stderr.txt"), stderr(), StandardCharsets.UTF_8);
            Path copy = keep.resolve(keepAs + ".handshakes.jsonl");
            if (Files.exists(log)) {
                Files.copy(log, copy, StandardCopyOption.REPLACE_EXISTING);
            } else {
                Files.deleteIfExists(copy);
            }
        }
        return Records.read(log);
    }

    /** Waits (10 s at the most: lines are written within a second) for {@code n} lines; fails unless exactly n. */
    public Records awaitRecords(int n) throws IOException, InterruptedException {
        for (int i = 0; i < 100 && records().size() < n; i++) {
            Thread.sleep(100);
        }
        Records records = records();
        if (records.size() != n) {
            throw new AssertionError("expected " + n + " records, found " + records.size() + ": " + records);
        }
        return records;
    }

    /** Counts the JSON lines, each parsed as one object, without keeping them. */
    public long countRecords() throws IOException {
        return Records.count(log);
    }

    private static Path keepDir() throws IOException {
        return Files.createDirectories(Paths.get(System.getProperty("tlsagent.test.logs", "target/fork-logs")));
    }

    // ---- small helpers of the tests around forks

    /**
     * A TCP port free at the moment, below the range the OS hands out to {@code bind(0)}: a fork that binds its own
     * servers to port 0 before the agent's endpoint listens could otherwise be given this very port (seen once in
     * CI: the scrape reached the application's HTTPS server).
     */
    public static int freePort() throws IOException {
        int below = ephemeralRangeStart();
        for (int attempt = 0; attempt < 200; attempt++) {
            int port = 10_000 + ThreadLocalRandom.current().nextInt(below - 10_000);
            try (ServerSocket s = new ServerSocket(port)) {
                return s.getLocalPort();
            } catch (IOException taken) {
                // try another
            }
        }
        throw new IOException("no free port between 10000 and " + below);
    }

    /** Linux's first ephemeral port (32768 by default, also the IANA range's start where it is 49152). */
    private static int ephemeralRangeStart() {
        try {
            String range = Files.readString(Paths.get("/proc/sys/net/ipv4/ip_local_port_range")).trim();
            return Math.max(20_000, Integer.parseInt(range.split("\\s+")[0]));
        } catch (IOException | RuntimeException notLinux) {
            return 32_768;
        }
    }

    /** GET over plain HTTP (10 s at the most); fails unless 200. */
    public static String get(String url) throws IOException, InterruptedException {
        HttpResponse<String> r = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new AssertionError(url + " answered " + r.statusCode() + ": " + r.body());
        }
        return r.body();
    }

    /** A scrape of an agent's endpoint on this host (one attached by a test, say). */
    public static Scrape scrape(int port) throws IOException, InterruptedException {
        return new Scrape(get("http://127.0.0.1:" + port + "/metrics"));
    }

    /** Reads {@code in} line by line into {@code into} on a daemon thread (until the stream ends). */
    public static Thread readLines(InputStream in, List<String> into, String threadName) {
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                for (String line = r.readLine(); line != null; line = r.readLine()) {
                    into.add(line);
                }
            } catch (IOException ended) {
                // the process ended
            }
        }, threadName);
        t.setDaemon(true);
        t.start();
        return t;
    }
}
