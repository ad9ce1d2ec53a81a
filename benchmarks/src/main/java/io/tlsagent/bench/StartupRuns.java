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
 * what the agent still costs shows there). Attach: the wall time of
 * {@code java -jar tls-agent.jar attach <pid>}, and of the attach API's {@code loadAgent} call, which returns when
 * the agent's {@code agentmain} has.
 */
final class StartupRuns {

    private final Options o;
    private final Path keystore;
    private final Path dir;

    StartupRuns(Options o, Path keystore) throws IOException {
        this.o = o;
        this.keystore = keystore;
        this.dir = Files.createDirectories(o.out.resolve("startup"));
    }

    /** variant name → {"main" → ms..., "tls" → ms..., "cpu" → ms of CPU used by main}, run by run. */
    Map<String, Map<String, List<Double>>> startup(List<Variant> variants) throws Exception {
        Map<String, Map<String, List<Double>>> out = new LinkedHashMap<>();
        for (int run = 0; run < o.startupRuns; run++) {
            List<Variant> order = new ArrayList<>(variants);
            if (run % 2 == 1) {
                java.util.Collections.reverse(order);
            }
            for (Variant v : order) {
                Path log = dir.resolve(v.name + ".jsonl");
                Files.deleteIfExists(log);
                List<String> cmd = new ArrayList<>(List.of(o.java(), "-Xms512m", "-Xmx512m"));
                cmd.addAll(v.jvmArgs(o.agentJar, log));
                cmd.addAll(List.of("-D" + Pki.KEYSTORE_PROPERTY + "=" + keystore.toAbsolutePath(), "-cp",
                        System.getProperty("java.class.path"), Hello.class.getName(), "--tls"));
                Path err = dir.resolve(v.name + ".stderr");
                long start = System.nanoTime();
                Process p = new ProcessBuilder(cmd).redirectError(err.toFile()).start();
                Map<String, Long> marks = readMarks(p);
                if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0 || marks.size() != 3) {
                    throw new IllegalStateException("startup run failed: " + cmd + " " + marks);
                }
                String stderr = Files.readString(err);
                // The records prove the agent ran. Its "started" line is not required: premain returns at once and
                // the agent says so from its own thread, which a JVM that exits right after the handshake may beat.
                if (v.agent() && (Variant.lines(log) != 2 || stderr.contains("could not start"))) {
                    throw new IllegalStateException("the agent did not start or record: " + stderr);
                }
                Map<String, List<Double>> m = out.computeIfAbsent(v.name, k -> new LinkedHashMap<>());
                m.computeIfAbsent("main", k -> new ArrayList<>()).add((marks.get("MAIN") - start) / 1e6);
                m.computeIfAbsent("tls", k -> new ArrayList<>()).add((marks.get("TLS") - start) / 1e6);
                m.computeIfAbsent("cpu", k -> new ArrayList<>()).add(marks.get("CPU") / 1e6);
            }
        }
        for (Map.Entry<String, Map<String, List<Double>>> e : out.entrySet()) {
            System.out.printf(Locale.ROOT, "startup %-6s median to main %.1f ms, to first handshake %.1f ms (%d runs)%n",
                    e.getKey(), Stats.median(e.getValue().get("main")), Stats.median(e.getValue().get("tls")),
                    e.getValue().get("main").size());
        }
        return out;
    }

    /** {"tool" → ms..., "loadAgent" → ms...}: each attach on a freshly started JVM. */
    Map<String, List<Double>> attach() throws Exception {
        Map<String, List<Double>> out = new LinkedHashMap<>();
        for (int run = 0; run < o.attachRuns; run++) {
            for (String how : List.of("tool", "loadAgent")) {
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
                            vm.loadAgent(o.agentJar.toAbsolutePath().toString(), args);
                        } finally {
                            vm.detach();
                        }
                    }
                    out.computeIfAbsent(how, k -> new ArrayList<>()).add((System.nanoTime() - start) / 1e6);
                } finally {
                    target.getOutputStream().close();
                    target.waitFor(30, TimeUnit.SECONDS);
                    target.destroy();
                }
                String stderr = Files.readString(err);
                if (!stderr.contains("started")) {
                    throw new IllegalStateException("the agent did not start on attach: " + stderr);
                }
            }
        }
        System.out.printf(Locale.ROOT, "attach: median %.1f ms with the tool, %.1f ms loadAgent (%d runs)%n",
                Stats.median(out.get("tool")), Stats.median(out.get("loadAgent")), out.get("tool").size());
        return out;
    }

    private static Map<String, Long> readMarks(Process p) throws IOException {
        Map<String, Long> marks = new LinkedHashMap<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                String[] f = line.split(" ");
                if (f.length == 2 && (f[0].equals("MAIN") || f[0].equals("TLS") || f[0].equals("CPU"))) {
                    marks.put(f[0], Long.parseLong(f[1]));
                }
            }
        }
        return marks;
    }
}
