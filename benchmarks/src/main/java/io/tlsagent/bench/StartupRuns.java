package io.tlsagent.bench;

import com.sun.tools.attach.VirtualMachine;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Startup: many launches of {@link Hello}, alternating without and with {@code -javaagent}; for each, the time from
 * just before the launch to the first line of {@code main}, and to the end of a first TLS handshake (the agent
 * starts on its own thread while the JVM goes on to {@code main}, and the first use of TLS waits for its hooks, so
 * what the agent still costs shows there), the CPU the JVM had used at both points, and, with the agent, when its
 * {@code /metrics} first answered (polled from here every few milliseconds, as a readiness probe would). Attach: the
 * wall time of {@code java -jar tls-agent.jar attach <pid>}, and of the attach API's {@code loadAgent} call, which
 * returns when the agent's {@code agentmain} has, beside {@code loadAgent} of an agent that does nothing (what the
 * JVM's attach itself costs), interleaved.
 */
final class StartupRuns {

    private static final long POLL_MILLIS = 5;

    private final Options o;
    private final Path keystore;
    private final Path dir;

    StartupRuns(Options o, Path keystore) throws IOException {
        this.o = o;
        this.keystore = keystore;
        this.dir = Files.createDirectories(o.out.resolve("startup"));
    }

    /**
     * variant name → {"main", "tls", "metrics" → ms after launch (metrics: after main), "cpu", "cputls" → ms of CPU
     * the JVM used by main and by the end of the first handshake}, run by run.
     */
    Map<String, Map<String, List<Double>>> startup(List<Variant> variants) throws Exception {
        Map<String, Map<String, List<Double>>> out = new LinkedHashMap<>();
        if (o.aot) {
            for (Variant v : variants) {
                launch(v, List.of("-XX:AOTCacheOutput=" + aotCache(v))); // the training launch, not counted
            }
        }
        for (int run = 0; run < o.startupRuns; run++) {
            List<Variant> order = new ArrayList<>(variants);
            if (run % 2 == 1) {
                java.util.Collections.reverse(order);
            }
            for (Variant v : order) {
                Map<String, Long> marks = launch(v, o.aot ? List.of("-XX:AOTCache=" + aotCache(v)) : List.of());
                Map<String, List<Double>> m = out.computeIfAbsent(v.name, k -> new LinkedHashMap<>());
                long start = marks.get("START");
                m.computeIfAbsent("main", k -> new ArrayList<>()).add((marks.get("MAIN") - start) / 1e6);
                m.computeIfAbsent("tls", k -> new ArrayList<>()).add((marks.get("TLS") - start) / 1e6);
                m.computeIfAbsent("cpu", k -> new ArrayList<>()).add(marks.get("CPU") / 1e6);
                m.computeIfAbsent("cputls", k -> new ArrayList<>()).add(marks.get("CPUTLS") / 1e6);
                if (marks.containsKey("METRICS")) {
                    m.computeIfAbsent("metrics", k -> new ArrayList<>())
                            .add((marks.get("METRICS") - marks.get("MAIN")) / 1e6);
                }
            }
        }
        for (Map.Entry<String, Map<String, List<Double>>> e : out.entrySet()) {
            System.out.printf(Locale.ROOT, "startup%s %-6s median to main %.1f ms, to first handshake %.1f ms"
                    + " (%d runs)%n", o.aot ? " (AOT cache)" : "", e.getKey(), Stats.median(e.getValue().get("main")),
                    Stats.median(e.getValue().get("tls")), e.getValue().get("main").size());
        }
        return out;
    }

    /**
     * One launch of {@link Hello} with {@code extraJvmArgs}: its marks (MAIN, TLS, CPU, CPUTLS, and METRICS with the
     * agent), once /metrics answered; checks that the agent recorded the handshake.
     */
    private Map<String, Long> launch(Variant v, List<String> extraJvmArgs) throws Exception {
        Path log = dir.resolve(v.name + ".jsonl");
        Files.deleteIfExists(log);
        int port = Variant.freePort();
        List<String> cmd = new ArrayList<>(List.of(o.java(), "-Xms512m", "-Xmx512m"));
        cmd.addAll(extraJvmArgs);
        cmd.addAll(v.jvmArgs(o.agentJar, log, port));
        cmd.addAll(List.of("-D" + Pki.KEYSTORE_PROPERTY + "=" + keystore.toAbsolutePath(), "-cp",
                System.getProperty("java.class.path"),
                Hello.class.getName(), "--tls", "--wait"));
        Path err = dir.resolve(v.name + ".stderr");
        long start = System.nanoTime();
        Process p = new ProcessBuilder(cmd).redirectError(err.toFile()).start();
        MetricsProbe probe = v.agent() ? MetricsProbe.start(port) : null;
        Map<String, Long> marks;
        try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(),
                StandardCharsets.UTF_8))) {
            marks = readMarks(in);
            Long metrics = probe != null ? probe.await(60_000) : null;
            p.getOutputStream().close(); // Hello ends
            while (in.readLine() != null) {
                // what the JVM says on its way out (an AOT training run logs a line per class it skips)
            }
            if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0 || marks.size() != 4
                    || (probe != null && metrics == null)) {
                throw new IllegalStateException("startup run failed: " + cmd + " " + marks + " "
                        + Files.readString(err));
            }
            if (metrics != null) {
                marks.put("METRICS", metrics);
            }
        } finally {
            p.destroyForcibly();
        }
        String stderr = Files.readString(err);
        if (v.agent() && (Variant.lines(log) != 2 || stderr.contains("could not start"))) {
            throw new IllegalStateException("the agent did not start or record: " + stderr);
        }
        // Times from just before the launch.
        marks.put("START", start);
        return marks;
    }

    private Path aotCache(Variant v) {
        return dir.resolve(v.name + ".aot").toAbsolutePath();
    }

    /** Polls {@code /metrics} on a loopback port from a daemon thread until it answers 200. */
    private static final class MetricsProbe {
        private final java.util.concurrent.CompletableFuture<Long> answered = new java.util.concurrent
                .CompletableFuture<>();

        static MetricsProbe start(int port) {
            MetricsProbe probe = new MetricsProbe();
            Thread t = new Thread(() -> probe.poll(port), "metrics-probe");
            t.setDaemon(true);
            t.start();
            return probe;
        }

        private void poll(int port) {
            byte[] request = ("GET /metrics HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (System.nanoTime() < deadline) {
                try (java.net.Socket s = new java.net.Socket(java.net.InetAddress.getLoopbackAddress(), port)) {
                    s.getOutputStream().write(request);
                    String status = new BufferedReader(new InputStreamReader(s.getInputStream(),
                            StandardCharsets.US_ASCII)).readLine();
                    if (status != null && status.contains(" 200")) {
                        answered.complete(System.nanoTime());
                        return;
                    }
                } catch (IOException notYet) {
                    // not listening yet
                }
                try {
                    Thread.sleep(POLL_MILLIS);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        /** The nanoTime of the first 200, or null. */
        Long await(long millis) throws InterruptedException {
            try {
                return answered.get(millis, TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                return null;
            }
        }
    }

    /**
     * {"tool" → ms..., "loadAgent" → ms..., "empty" → ms...}: each attach on a freshly started JVM; "empty" is
     * {@code loadAgent} of an agent whose {@code agentmain} does nothing, the three interleaved. The agent's
     * {@code agentmain} returns once its hooks are in; the target then runs until the agent said it started.
     */
    Map<String, List<Double>> attach() throws Exception {
        Path empty = EmptyAgent.jar(dir);
        Map<String, List<Double>> out = new LinkedHashMap<>();
        for (int run = 0; run < o.attachRuns; run++) {
            List<String> ways = new ArrayList<>(List.of("tool", "loadAgent", "empty"));
            java.util.Collections.rotate(ways, run);
            for (String how : ways) {
                Path log = dir.resolve("attach.jsonl");
                Files.deleteIfExists(log);
                String args = "port=" + Variant.freePort() + ",host=127.0.0.1,log=file:" + log;
                Path err = dir.resolve("attach-target.stderr");
                Process target = new ProcessBuilder(o.java(), "-cp", System.getProperty("java.class.path"),
                        Hello.class.getName(), "--wait").redirectError(err.toFile()).start();
                try {
                    BufferedReader in = new BufferedReader(new InputStreamReader(target.getInputStream(),
                            StandardCharsets.UTF_8));
                    String line;
                    while ((line = in.readLine()) != null && !line.equals("READY")) {
                        // MAIN ...
                    }
                    String pid = Long.toString(target.pid());
                    long start = System.nanoTime();
                    if (how.equals("tool")) {
                        Process tool = new ProcessBuilder(o.java(), "-jar", o.agentJar.toAbsolutePath().toString(),
                                "attach", pid, args).redirectErrorStream(true)
                                .redirectOutput(dir.resolve("attach-tool.out").toFile()).start();
                        if (!tool.waitFor(120, TimeUnit.SECONDS) || tool.exitValue() != 0) {
                            throw new IllegalStateException("attach failed: "
                                    + Files.readString(dir.resolve("attach-tool.out")));
                        }
                    } else {
                        VirtualMachine vm = VirtualMachine.attach(pid);
                        try {
                            vm.loadAgent((how.equals("empty") ? empty : o.agentJar).toAbsolutePath().toString(),
                                    args);
                        } finally {
                            vm.detach();
                        }
                    }
                    out.computeIfAbsent(how, k -> new ArrayList<>()).add((System.nanoTime() - start) / 1e6);
                    if (!how.equals("empty")) {
                        awaitStarted(err); // the agent finishes its start on its own thread after agentmain
                    }
                } finally {
                    target.getOutputStream().close();
                    target.waitFor(30, TimeUnit.SECONDS);
                    target.destroy();
                }
                String stderr = Files.readString(err);
                if (!how.equals("empty") && !stderr.contains("started")) {
                    throw new IllegalStateException("the agent did not start on attach: " + stderr);
                }
            }
        }
        System.out.printf(Locale.ROOT, "attach: median %.1f ms with the tool, %.1f ms loadAgent, %.1f ms loadAgent of"
                + " an empty agent (%d runs)%n", Stats.median(out.get("tool")), Stats.median(out.get("loadAgent")),
                Stats.median(out.get("empty")), out.get("tool").size());
        return out;
    }

    /** Waits (at most 60 s) until the target's stderr has the agent's start line. */
    private static void awaitStarted(Path stderr) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!Files.readString(stderr).contains(" started") && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
    }

    /** Reads the marks up to {@code READY} (Hello then waits for its stdin to close). */
    private static Map<String, Long> readMarks(BufferedReader in) throws IOException {
        Map<String, Long> marks = new LinkedHashMap<>();
        String line;
        while ((line = in.readLine()) != null && !line.equals("READY")) {
            String[] f = line.split(" ");
            if (f.length == 2 && (f[0].equals("MAIN") || f[0].equals("TLS") || f[0].equals("CPU")
                    || f[0].equals("CPUTLS"))) {
                marks.put(f[0], Long.parseLong(f[1]));
            }
        }
        return marks;
    }
}
