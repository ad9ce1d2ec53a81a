package io.tlsagent.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Memory: {@link Retention} with and without the agent, at the same time (memory, not time, is measured: running
 * both at once halves the wall time and biases neither). Per checkpoint, the heap used after a full GC and the
 * agent's own live objects.
 */
final class MemoryRuns {

    /** One checkpoint of one run. */
    static final class Check {
        long handshakes;
        long abandoned;
        long heap;
        long agentBytes;
        long agentObjects;
    }

    private final Options o;
    private final Path keystore;
    private final Path dir;
    long agentLogLines;

    MemoryRuns(Options o, Path keystore) throws Exception {
        this.o = o;
        this.keystore = keystore;
        this.dir = Files.createDirectories(o.out.resolve("memory"));
    }

    /** variant name → checkpoints. */
    Map<String, List<Check>> run(List<Variant> variants) throws Exception {
        Map<String, Process> running = new LinkedHashMap<>();
        Path log = dir.resolve("on.jsonl");
        Files.deleteIfExists(log);
        for (Variant v : variants) {
            if (!v.name.equals("none") && !v.name.equals("on")) {
                continue;
            }
            List<String> cmd = new ArrayList<>(List.of(o.java(), "-Xms256m", "-Xmx256m"));
            cmd.addAll(v.jvmArgs(o.agentJar, log));
            cmd.addAll(List.of("-D" + Pki.KEYSTORE_PROPERTY + "=" + keystore.toAbsolutePath(), "-cp",
                    System.getProperty("java.class.path"), Retention.class.getName(), o.memory,
                    Integer.toString(o.abandonEvery)));
            running.put(v.name, new ProcessBuilder(cmd).redirectError(dir.resolve(v.name + ".stderr").toFile())
                    .start());
        }
        Map<String, List<Check>> out = new LinkedHashMap<>();
        for (Map.Entry<String, Process> e : running.entrySet()) {
            List<Check> checks = new ArrayList<>();
            try (BufferedReader in = new BufferedReader(new InputStreamReader(e.getValue().getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    String[] f = line.split(" ");
                    if (f[0].equals("CHECK")) {
                        Check c = new Check();
                        c.handshakes = Long.parseLong(f[1]);
                        c.abandoned = Long.parseLong(f[2]);
                        c.heap = Long.parseLong(f[3]);
                        c.agentBytes = Long.parseLong(f[4]);
                        c.agentObjects = Long.parseLong(f[5]);
                        checks.add(c);
                        System.out.printf("memory %-5s %7d handshakes (%d abandoned): heap after GC %,d KiB, "
                                + "agent objects %,d KiB (%,d)%n", e.getKey(), c.handshakes, c.abandoned,
                                c.heap / 1024, c.agentBytes / 1024, c.agentObjects);
                    }
                }
            }
            Process p = e.getValue();
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException("memory run " + e.getKey() + " failed: "
                        + Files.readString(dir.resolve(e.getKey() + ".stderr")));
            }
            out.put(e.getKey(), checks);
        }
        agentLogLines = Variant.lines(log);
        Files.deleteIfExists(log);
        long handshakes = out.get("on").get(out.get("on").size() - 1).handshakes;
        // One line per handshake and side; the abandoned engines are never reported.
        if (agentLogLines != 2 * handshakes) {
            throw new IllegalStateException("the agent wrote " + agentLogLines + " lines for " + handshakes
                    + " handshakes (expected two per handshake)");
        }
        return out;
    }
}
