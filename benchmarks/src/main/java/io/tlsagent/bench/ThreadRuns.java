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
 * {@link HandshakeThreadCost} for each handshake workload, with and without a flight recording running (the agent's
 * JFR event is committed on the handshake thread only while one runs): the agent's CPU and allocation per
 * handshake on the handshake threads and on its own, from blocks with its capture connected and disconnected in turn
 * in one JVM.
 */
final class ThreadRuns {

    static final List<String> WORKLOADS = List.of("engine-tls13-full", "engine-tls13-resumed", "engine-tls12-full",
            "socket-tls13-full");

    /** One JVM's blocks: {on?, handshakes, handshake bytes, handshake cpu, agent bytes, agent cpu}. */
    static final class Run {
        final String variant;
        final String workload;
        final boolean recording;
        final List<long[]> on = new ArrayList<>();
        final List<long[]> off = new ArrayList<>();

        Run(String variant, String workload, boolean recording) {
            this.variant = variant;
            this.workload = workload;
            this.recording = recording;
        }
    }

    private final Options o;
    private final Path keystore;
    private final Path dir;

    ThreadRuns(Options o, Path keystore) throws Exception {
        this.o = o;
        this.keystore = keystore;
        this.dir = Files.createDirectories(o.out.resolve("threads"));
    }

    List<Run> run(Variant agent) throws Exception {
        List<Run> runs = new ArrayList<>();
        for (boolean recording : List.of(false, true)) {
            for (String workload : WORKLOADS) {
                runs.add(run(agent, workload, recording));
            }
        }
        return runs;
    }

    private Run run(Variant agent, String workload, boolean recording) throws Exception {
        String id = agent.name + "-" + workload + (recording ? "-recording" : "");
        Path log = dir.resolve(id + ".jsonl");
        Files.deleteIfExists(log);
        int perBlock = o.smoke ? 20 : 500;
        int pairs = o.smoke ? 2 : 10;
        int warmup = o.smoke ? 50 : 3000;
        List<String> cmd = new ArrayList<>(List.of(o.java(), "-Xms512m", "-Xmx512m"));
        cmd.addAll(agent.jvmArgs(o.agentJar, log));
        cmd.addAll(List.of("-D" + Pki.KEYSTORE_PROPERTY + "=" + keystore.toAbsolutePath(), "-cp",
                System.getProperty("java.class.path"), HandshakeThreadCost.class.getName(), workload,
                Integer.toString(perBlock), Integer.toString(pairs), Integer.toString(warmup),
                Boolean.toString(recording)));
        Process p = new ProcessBuilder(cmd).redirectError(dir.resolve(id + ".stderr").toFile()).start();
        Run run = new Run(agent.name, workload, recording);
        boolean done = false;
        try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                if (line.startsWith("BLOCK ")) {
                    String[] f = line.split(" ");
                    long[] block = {Long.parseLong(f[2]), Long.parseLong(f[3]), Long.parseLong(f[4]),
                            Long.parseLong(f[5]), Long.parseLong(f[6])};
                    (f[1].equals("on") ? run.on : run.off).add(block);
                }
                done |= line.equals("DONE");
            }
        }
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0 || !done) {
            throw new IllegalStateException("thread cost run failed (" + id + "): " + cmd);
        }
        if (Variant.lines(log) == 0) {
            throw new IllegalStateException(id + ": the agent wrote no JSON line; it was not measured");
        }
        System.out.printf("thread cost %-6s %-22s %s: %d pairs of blocks%n", agent.name, workload,
                recording ? "recording" : "", run.on.size());
        return run;
    }

    /** Per pair of blocks, per handshake: on minus off of field {@code i} of the block. */
    static List<Double> difference(Run r, int i) {
        List<Double> out = new ArrayList<>();
        for (int k = 0; k < Math.min(r.on.size(), r.off.size()); k++) {
            out.add((double) r.on.get(k)[i] / r.on.get(k)[0] - (double) r.off.get(k)[i] / r.off.get(k)[0]);
        }
        return out;
    }

    /** Per block, per handshake: field {@code i}. */
    static List<Double> perHandshake(List<long[]> blocks, int i) {
        List<Double> out = new ArrayList<>();
        for (long[] b : blocks) {
            out.add((double) b[i] / b[0]);
        }
        return out;
    }

    static Map<String, List<Run>> byWorkload(List<Run> runs) {
        Map<String, List<Run>> out = new LinkedHashMap<>();
        for (Run r : runs) {
            out.computeIfAbsent(r.workload, k -> new ArrayList<>()).add(r);
        }
        return out;
    }
}
