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
 * {@link RecordAllocation} without and with the agent, alternating: the bytes the application's own thread
 * allocates per record once the JIT has settled (the last round of each run).
 */
final class AllocationRuns {

    static final int RECORDS = 20_000;
    static final int ROUNDS = 8;

    private final Options o;
    private final Path keystore;
    private final Path dir;

    AllocationRuns(Options o, Path keystore) throws Exception {
        this.o = o;
        this.keystore = keystore;
        this.dir = Files.createDirectories(o.out.resolve("alloc"));
    }

    /** variant name → bytes per record, one value per run. */
    Map<String, List<Double>> run(List<Variant> variants, int runs) throws Exception {
        Map<String, List<Double>> out = new LinkedHashMap<>();
        for (int run = 0; run < runs; run++) {
            for (Variant v : variants) {
                Path log = dir.resolve(v.name + ".jsonl");
                Files.deleteIfExists(log);
                List<String> cmd = new ArrayList<>(List.of(o.java(), "-Xms512m", "-Xmx512m"));
                cmd.addAll(v.jvmArgs(o.agentJar, log));
                cmd.addAll(List.of("-D" + Pki.KEYSTORE_PROPERTY + "=" + keystore.toAbsolutePath(), "-cp",
                        System.getProperty("java.class.path"), RecordAllocation.class.getName(),
                        Integer.toString(o.smoke ? 1000 : RECORDS), Integer.toString(o.smoke ? 2 : ROUNDS)));
                Process p = new ProcessBuilder(cmd).redirectError(dir.resolve(v.name + ".stderr").toFile()).start();
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
                    throw new IllegalStateException("the agent did not record the handshake (" + v.name + ")");
                }
                out.computeIfAbsent(v.name, k -> new ArrayList<>()).add(last);
                System.out.printf("record allocation %-6s %.1f bytes per record%n", v.name, last);
            }
        }
        return out;
    }
}
