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
 * {@link RecordAllocation} for each engine ({@code --engines}), without and with the agent, alternating: the bytes
 * the application's own thread allocates per record once the JIT has settled (the last round of each run). Each
 * engine twice: as deployed, and with escape analysis off ({@code -XX:-DoEscapeAnalysis}), where every object the
 * code creates is counted, so an allocation of the agent's that the JIT would remove in one run and not in another
 * still shows (the engines' own figure may move between runs as deployed: Conscrypt's does, by one object).
 */
final class AllocationRuns {

    static final int RECORDS = 20_000;
    static final int ROUNDS = 8;
    static final String NO_ESCAPE_ANALYSIS = "-XX:-DoEscapeAnalysis";

    private final Options o;
    private final Path keystore;
    private final Path dir;

    AllocationRuns(Options o, Path keystore) throws Exception {
        this.o = o;
        this.keystore = keystore;
        this.dir = Files.createDirectories(o.out.resolve("alloc"));
    }

    /** One row of the table: an engine, as deployed or with escape analysis off. */
    static String row(RecordEngine engine, boolean escapeAnalysis) {
        return engine.id + (escapeAnalysis ? "" : " " + NO_ESCAPE_ANALYSIS);
    }

    /** row → variant name → bytes per record, one value per run. */
    Map<String, Map<String, List<Double>>> run(List<Variant> variants, int runs) throws Exception {
        Map<String, Map<String, List<Double>>> out = new LinkedHashMap<>();
        for (int run = 0; run < runs; run++) {
            for (RecordEngine engine : o.engines) {
                for (boolean escapeAnalysis : o.smoke ? List.of(true) : List.of(true, false)) {
                    String row = row(engine, escapeAnalysis);
                    for (Variant v : variants) {
                        double bytes = one(engine, escapeAnalysis, v);
                        out.computeIfAbsent(row, k -> new LinkedHashMap<>())
                                .computeIfAbsent(v.name, k -> new ArrayList<>()).add(bytes);
                        System.out.printf("record allocation %-32s %-6s %.1f bytes per record%n", row, v.name, bytes);
                    }
                }
            }
        }
        return out;
    }

    private double one(RecordEngine engine, boolean escapeAnalysis, Variant v) throws Exception {
        String name = engine.id + (escapeAnalysis ? "" : "-noea") + "-" + v.name;
        Path log = dir.resolve(name + ".jsonl");
        Files.deleteIfExists(log);
        List<String> cmd = new ArrayList<>(List.of(o.java(), "-Xms512m", "-Xmx512m"));
        if (!escapeAnalysis) {
            cmd.add(NO_ESCAPE_ANALYSIS);
        }
        cmd.addAll(v.jvmArgs(o.agentJar, log));
        cmd.addAll(List.of("-D" + Pki.KEYSTORE_PROPERTY + "=" + keystore.toAbsolutePath(), "-cp",
                System.getProperty("java.class.path"), RecordAllocation.class.getName(),
                Integer.toString(o.smoke ? 1000 : RECORDS), Integer.toString(o.smoke ? 2 : ROUNDS), engine.id));
        Process p = new ProcessBuilder(cmd).redirectError(dir.resolve(name + ".stderr").toFile()).start();
        double last = Double.NaN;
        try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                if (line.startsWith("ALLOC ")) {
                    last = Double.parseDouble(line.substring(6));
                }
            }
        }
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0 || Double.isNaN(last)) {
            throw new IllegalStateException("allocation run failed: " + cmd);
        }
        if (v.agent() && Variant.lines(log) != 2) {
            throw new IllegalStateException("the agent did not record the handshake (" + name + ")");
        }
        return last;
    }
}
