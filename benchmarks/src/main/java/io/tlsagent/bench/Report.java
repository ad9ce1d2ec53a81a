package io.tlsagent.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** The Markdown tables of {@code results.md}: each figure, its 95% interval, the ratio, the target. */
final class Report {

    private final Options o;
    private final StringBuilder md = new StringBuilder();

    Report(Options o) {
        this.o = o;
    }

    void header() throws Exception {
        md.append("# tls-agent overhead: results of one run\n\n");
        line("- Date: " + Suite.now());
        line("- Machine: " + Runtime.getRuntime().availableProcessors() + " CPUs, " + cpuModel() + ", "
                + memTotal());
        line("- Forked JVMs: " + javaVersion());
        line("- Agent: " + o.agentJar.toAbsolutePath().normalize());
        line(String.format(Locale.ROOT, "- JMH: %d rounds; each round one fork per variant (order alternating),"
                + " %d warmup + %d measured iterations of %d ms per fork; -Xms512m -Xmx512m; -prof gc%s",
                o.rounds, o.warmup, o.iterations, o.iterationMillis,
                o.jfr ? "; flight recorder execution samples every 10 ms after the warmup" : ""));
        if (o.smoke) {
            line("- SMOKE RUN: everything once and tiny; these numbers measure nothing.");
        }
        md.append('\n');
    }

    void compared(Map<String, List<JmhRuns.Fork>> results, List<Variant> variants) {
        md.append("## Throughput with and without the agent\n\n");
        md.append("Ratio: geometric mean of the per-round ratios with/without, 95% interval over the rounds. "
                + "Allocation: JMH's gc.alloc.rate.norm, bytes per operation (all threads); the difference is "
                + "paired per round. Agent CPU share: execution samples with an agent frame on the stack, "
                + "of all samples of the JVM with the agent (Wilson 95% interval).\n\n");
        md.append("| Benchmark | Variant | ops/s (mean ± 95%) | ratio vs none [95%] | B/op | Δ B/op vs none (± 95%)"
                + " | agent CPU share [95%] | agent µs/op |\n");
        md.append("|---|---|---|---|---|---|---|---|\n");
        for (Map.Entry<String, List<JmhRuns.Fork>> e : results.entrySet()) {
            List<Double> noneScores = scores(e.getValue(), "none");
            List<Double> noneAlloc = allocs(e.getValue(), "none");
            for (Variant v : variants) {
                List<Double> s = scores(e.getValue(), v.name);
                List<Double> a = allocs(e.getValue(), v.name);
                String ratio = "";
                String delta = "";
                String share = "";
                String micros = "";
                if (v.agent()) {
                    double[] r = Stats.pairedRatio(s, noneScores);
                    ratio = String.format(Locale.ROOT, "%.4f [%.4f, %.4f]", r[1], r[0], r[2]);
                    double[] d = Stats.pairedDifference(a, noneAlloc);
                    delta = String.format(Locale.ROOT, "%+.1f ± %.1f", d[0], d[1]);
                    long samples = 0;
                    long agent = 0;
                    for (JmhRuns.Fork f : e.getValue()) {
                        if (f.variant.equals(v.name)) {
                            samples += f.samples;
                            agent += f.agentSamples;
                        }
                    }
                    if (samples > 0) {
                        double[] p = Stats.proportion(agent, samples);
                        share = String.format(Locale.ROOT, "%.2f%% [%.2f, %.2f] (%d/%d)", 100 * p[1], 100 * p[0],
                                100 * p[2], agent, samples);
                        micros = String.format(Locale.ROOT, "%.2f", p[1] / Stats.mean(s) * 1e6);
                    }
                }
                md.append(String.format(Locale.ROOT, "| %s | %s | %.1f ± %.1f | %s | %.0f | %s | %s | %s |%n",
                        JmhRuns.shortName(e.getKey()), v.name, Stats.mean(s), Stats.ci95(s), ratio, Stats.mean(a),
                        delta, share, micros));
            }
        }
        md.append("\nagent µs/op: the agent CPU share times the time per operation; an estimate of the agent's CPU"
                + " per operation (for the single-threaded engine benchmarks; the socket ones use two threads).\n\n");
        threads(results, variants);
        profile(results, variants);
    }

    /** Where the agent's samples are, by thread and part, pooled over the forks of each agent variant. */
    private void profile(Map<String, List<JmhRuns.Fork>> results, List<Variant> variants) {
        for (Variant v : variants) {
            if (!v.agent()) {
                continue;
            }
            java.util.Map<String, Long> parts = new java.util.TreeMap<>();
            long samples = 0;
            long agent = 0;
            for (List<JmhRuns.Fork> forks : results.values()) {
                for (JmhRuns.Fork f : forks) {
                    if (f.variant.equals(v.name) && f.benchmark.contains("Handshakes")) {
                        f.parts.forEach((k, n) -> parts.merge(k, n, Long::sum));
                        samples += f.samples;
                        agent += f.agentSamples;
                    }
                }
            }
            if (agent == 0) {
                continue;
            }
            md.append(String.format(Locale.ROOT, "### Where the agent's samples are (%s), the handshake benchmarks"
                    + " pooled: %d of %d samples have an agent frame%n%n| Thread: part | samples | share of the"
                    + " agent's | share of all |%n|---|---|---|---|%n", v.name, agent, samples));
            final long all = samples;
            final long ofAgent = agent;
            parts.entrySet().stream().sorted((a, b) -> Long.compare(b.getValue(), a.getValue()))
                    .forEach(e -> md.append(String.format(Locale.ROOT, "| %s | %d | %.0f%% | %.2f%% |%n", e.getKey(),
                            e.getValue(), 100.0 * e.getValue() / ofAgent, 100.0 * e.getValue() / all)));
            md.append('\n');
        }
    }

    /**
     * Where the agent's cost lands: on the handshake threads (the application's) or on its own. From the JVM's
     * per-thread counters (CPU time and bytes allocated per operation, exact per thread) and the execution samples
     * of the handshake threads; neither is moved by the machine's load.
     */
    private void threads(Map<String, List<JmhRuns.Fork>> results, List<Variant> variants) {
        md.append("## Where the agent's cost lands: handshake threads and the agent's own\n\n");
        md.append("Per operation (one complete handshake: two sides, two records). Handshake threads: the JMH worker"
                + " (and the socket benchmark's server thread), where the application's handshakes and the agent's"
                + " capture run; their CPU time and allocation come from the JVM's per-thread counters, the Δ is"
                + " paired per round. Agent frames: of the execution samples taken on the handshake threads, those"
                + " with an agent frame (Wilson 95% interval): the agent's share of the handshake threads' CPU."
                + " Agent threads: tls-agent-* (export, log writer, endpoint).\n\n");
        md.append("| Benchmark | Variant | handshake threads CPU µs/op | Δ CPU vs none [95%] | agent frames in handshake"
                + "-thread samples [95%] | handshake threads B/op | Δ B/op vs none (± 95%) | agent threads CPU µs/op"
                + " | agent threads B/op | Δ B/op all these threads |\n");
        md.append("|---|---|---|---|---|---|---|---|---|---|\n");
        for (Map.Entry<String, List<JmhRuns.Fork>> e : results.entrySet()) {
            List<JmhRuns.Fork> forks = e.getValue();
            List<Double> noneCpu = field(forks, "none", f -> f.handshakeCpu);
            List<Double> noneAlloc = field(forks, "none", f -> f.handshakeAlloc);
            List<Double> noneAgentAlloc = field(forks, "none", f -> f.agentAlloc);
            for (Variant v : variants) {
                List<Double> cpu = field(forks, v.name, f -> f.handshakeCpu);
                List<Double> alloc = field(forks, v.name, f -> f.handshakeAlloc);
                List<Double> agentCpu = field(forks, v.name, f -> f.agentCpu);
                List<Double> agentAlloc = field(forks, v.name, f -> f.agentAlloc);
                if (cpu.isEmpty() || cpu.stream().anyMatch(x -> x.isNaN())) {
                    continue;
                }
                String dCpu = "";
                String frames = "";
                String dAlloc = "";
                String dAll = "";
                if (v.agent()) {
                    double[] r = Stats.pairedRatio(cpu, noneCpu);
                    dCpu = String.format(Locale.ROOT, "%+.1f%% [%+.1f, %+.1f]", 100 * (r[1] - 1), 100 * (r[0] - 1),
                            100 * (r[2] - 1));
                    long n = 0;
                    long k = 0;
                    for (JmhRuns.Fork f : forks) {
                        if (f.variant.equals(v.name)) {
                            n += f.handshakeSamples;
                            k += f.handshakeAgentSamples;
                        }
                    }
                    if (n > 0) {
                        double[] p = Stats.proportion(k, n);
                        frames = String.format(Locale.ROOT, "%.2f%% [%.2f, %.2f] (%d/%d)", 100 * p[1], 100 * p[0],
                                100 * p[2], k, n);
                    }
                    double[] d = Stats.pairedDifference(alloc, noneAlloc);
                    dAlloc = String.format(Locale.ROOT, "%+,.0f ± %,.0f", d[0], d[1]);
                    List<Double> all = new ArrayList<>();
                    List<Double> noneAll = new ArrayList<>();
                    for (int i = 0; i < alloc.size(); i++) {
                        all.add(alloc.get(i) + agentAlloc.get(i));
                    }
                    for (int i = 0; i < noneAlloc.size(); i++) {
                        noneAll.add(noneAlloc.get(i) + noneAgentAlloc.get(i));
                    }
                    double[] da = Stats.pairedDifference(all, noneAll);
                    dAll = String.format(Locale.ROOT, "%+,.0f ± %,.0f", da[0], da[1]);
                }
                md.append(String.format(Locale.ROOT, "| %s | %s | %.1f | %s | %s | %,.0f | %s | %.2f | %,.0f | %s |%n",
                        JmhRuns.shortName(e.getKey()), v.name, Stats.mean(cpu) / 1000, dCpu, frames,
                        Stats.mean(alloc), dAlloc, Stats.mean(agentCpu) / 1000, Stats.mean(agentAlloc), dAll));
            }
        }
        md.append("\nTargets (issue 14): the agent's CPU on the handshake threads at most 1% of theirs; at most 8 KB"
                + " allocated per complete handshake on the handshake threads, 16 KB in all.\n\n");
    }

    private static List<Double> field(List<JmhRuns.Fork> forks, String variant,
            java.util.function.ToDoubleFunction<JmhRuns.Fork> value) {
        return forks.stream().filter(f -> f.variant.equals(variant)).map(f -> value.applyAsDouble(f))
                .collect(Collectors.toList());
    }

    /** The agent's cost by thread, capture connected vs disconnected in one JVM ({@link ThreadRuns}). */
    void threadCost(List<ThreadRuns.Run> runs) {
        md.append("## The agent's cost by thread, in one JVM\n\n");
        md.append("Blocks of handshakes with the agent's capture connected and disconnected in turn in one JVM (its"
                + " bridge set and cleared; the hooks then cost their status check), measured with the JVM's"
                + " per-thread counters: the difference per complete handshake (two sides, two records) on the"
                + " handshake threads, and what the agent's own threads (tls-agent-*) spent on the records. Mean"
                + " ± 95% over the pairs of blocks. \"recording\": a flight recording with the JDK's default"
                + " settings runs, so the agent's JFR event is committed on the handshake thread.\n\n");
        md.append("| Workload | agent | recording | handshake threads CPU µs/op (capture off) | Δ CPU µs/op"
                + " | Δ CPU % of theirs | Δ B/op handshake threads | agent threads CPU µs/op | agent threads B/op"
                + " | B/op in all |\n");
        md.append("|---|---|---|---|---|---|---|---|---|---|\n");
        for (ThreadRuns.Run r : runs) {
            List<Double> offCpu = ThreadRuns.perHandshake(r.off, 2);
            List<Double> dCpu = ThreadRuns.difference(r, 2);
            List<Double> dBytes = ThreadRuns.difference(r, 1);
            List<Double> agentCpu = ThreadRuns.perHandshake(r.on, 4);
            List<Double> agentBytes = ThreadRuns.perHandshake(r.on, 3);
            List<Double> percent = new ArrayList<>();
            List<Double> all = new ArrayList<>();
            for (int i = 0; i < dCpu.size(); i++) {
                percent.add(100 * dCpu.get(i) / offCpu.get(i));
                all.add(dBytes.get(i) + agentBytes.get(i));
            }
            md.append(String.format(Locale.ROOT, "| %s | %s | %s | %.1f | %+.1f ± %.1f | %+.2f%% ± %.2f"
                    + " | %,.0f ± %,.0f | %.1f ± %.1f | %,.0f ± %,.0f | %,.0f ± %,.0f |%n", r.workload, r.variant,
                    r.recording ? "yes" : "no",
                    Stats.mean(offCpu) / 1000, Stats.mean(dCpu) / 1000, Stats.ci95(dCpu) / 1000,
                    Stats.mean(percent), Stats.ci95(percent), Stats.mean(dBytes), Stats.ci95(dBytes),
                    Stats.mean(agentCpu) / 1000, Stats.ci95(agentCpu) / 1000, Stats.mean(agentBytes),
                    Stats.ci95(agentBytes), Stats.mean(all), Stats.ci95(all)));
        }
        md.append("\nTargets (issue 14): on the handshake threads at most 1% of their CPU and 8 KB per complete"
                + " handshake; 16 KB in all.\n\n");
    }

    void recordAllocation(Map<String, Map<String, List<Double>>> runs, List<Variant> variants) {
        md.append("## Allocation per record on the data path\n\n");
        md.append("Bytes the application's thread allocates per TLS record (16 KiB offered, what the engine puts in one"
                + " record sealed by wrap and opened by unwrap) after the handshake, once the JIT has settled: the"
                + " JVM's per-thread counter, exact to the byte, no background thread counted; every run's value."
                + " Engines: jdk (SunJSSE), conscrypt, netty (Netty's OpenSSL engine, direct buffers), netty-split"
                + " and netty-split12 (the same, each record unwrapped from 2 or 12 buffers by unwrap(ByteBuffer[],"
                + " ByteBuffer[])). "
                + AllocationRuns.NO_ESCAPE_ANALYSIS + ": every object the code creates counted, none removed by"
                + " the JIT.\n\n| Engine |");
        for (Variant v : variants) {
            md.append(' ').append(v.name).append(" |");
        }
        md.append("\n|---|");
        for (int i = 0; i < variants.size(); i++) {
            md.append("---|");
        }
        md.append('\n');
        for (Map.Entry<String, Map<String, List<Double>>> e : runs.entrySet()) {
            md.append("| ").append(e.getKey()).append(" |");
            for (Variant v : variants) {
                md.append(' ').append(e.getValue().getOrDefault(v.name, List.of()).stream()
                        .map(x -> String.format(Locale.ROOT, "%.1f", x)).collect(Collectors.joining(", ")))
                        .append(" |");
            }
            md.append('\n');
        }
        md.append('\n');
    }

    void logWriter(List<JmhRuns.Fork> summary, List<JmhRuns.Fork> full) {
        md.append("## JSON log writer\n\n");
        md.append("Lines written per second to a file, sustained (95% interval over the forks). Targets: summary"
                + " lines (the default log's line for all but the first handshake of each kind) at least 100,000;"
                + " full lines at least 20,000.\n\n| Lines | lines/s (mean ± 95%) | forks | per fork |\n|---|---|---|---|\n");
        for (List<JmhRuns.Fork> forks : List.of(summary, full)) {
            List<Double> s = forks.stream().map(f -> f.score).collect(Collectors.toList());
            md.append(String.format(Locale.ROOT, "| %s | %.0f ± %.0f | %d | %s |%n", forks == summary ? "summary"
                    : "full", Stats.mean(s), Stats.ci95(s), s.size(),
                    s.stream().map(x -> String.format(Locale.ROOT, "%.0f", x)).collect(Collectors.joining(", "))));
        }
        md.append('\n');
    }

    void startup(Map<String, Map<String, List<Double>>> runs) {
        md.append(o.aot ? "## Startup with an ahead-of-time cache\n\nEach variant with its own AOT cache"
                + " (-XX:AOTCache), made by one training launch of the same command (-XX:AOTCacheOutput). The agent's"
                + " own classes are not in it (a -javaagent jar is not on the class path).\n\n" : "## Startup\n\n");
        md.append("Milliseconds from just before the launch to the first line of main, and to the end of a first "
                + "TLS 1.3 handshake (SunJSSE loaded and transformed); the CPU time the JVM (all its threads) had"
                + " used when main began and when that handshake had ended; with the agent, when its /metrics first"
                + " answered, after main (polled every " + 5 + " ms from outside). Median [25th, 75th percentile];"
                + " differences are paired run by run (alternating order), median and 95% bootstrap interval.\n\n");
        md.append("| Variant | runs | to main | to first handshake | CPU by main | CPU by first handshake | /metrics"
                + " after main |\n|---|---|---|---|---|---|---|\n");
        for (Map.Entry<String, Map<String, List<Double>>> e : runs.entrySet()) {
            Map<String, List<Double>> m = e.getValue();
            md.append(String.format(Locale.ROOT, "| %s | %d | %s | %s | %s | %s | %s |%n", e.getKey(),
                    m.get("main").size(), quartiles(m.get("main")), quartiles(m.get("tls")), quartiles(m.get("cpu")),
                    quartiles(m.get("cputls")), m.containsKey("metrics") ? quartiles(m.get("metrics")) : ""));
        }
        md.append("\n| Variant | Δ to main vs none, median [95%] | Δ to first handshake | Δ CPU by main | Δ CPU by"
                + " first handshake |\n|---|---|---|---|---|\n");
        Map<String, List<Double>> none = runs.get("none");
        for (Map.Entry<String, Map<String, List<Double>>> e : runs.entrySet()) {
            if (e.getKey().equals("none")) {
                continue;
            }
            Map<String, List<Double>> m = e.getValue();
            md.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s |%n", e.getKey(),
                    medianDifference(m.get("main"), none.get("main")), medianDifference(m.get("tls"), none.get("tls")),
                    medianDifference(m.get("cpu"), none.get("cpu")),
                    medianDifference(m.get("cputls"), none.get("cputls"))));
        }
        md.append("\nTargets: time to main no worse than +79 ms (the median before); the first handshake ends at most"
                + " 250 ms later than without the agent; the agent's CPU to the first handshake at most 400 ms;"
                + " /metrics answers within 500 ms of main.\n\n");
    }

    void attach(Map<String, List<Double>> runs) {
        md.append("## Attach\n\nEach attach to a freshly started JVM, the three ways interleaved.\n\n"
                + "| How | runs | ms, median [min, max] |\n|---|---|---|\n");
        for (Map.Entry<String, List<Double>> e : runs.entrySet()) {
            List<Double> xs = e.getValue();
            md.append(String.format(Locale.ROOT, "| %s | %d | %.0f [%.0f, %.0f] |%n", attachWay(e.getKey()),
                    xs.size(), Stats.median(xs), Stats.quantile(xs, 0), Stats.quantile(xs, 1)));
        }
        md.append(String.format(Locale.ROOT, "%n`loadAgent` of the agent minus that of the empty agent, paired:"
                + " %s ms.%n%nTargets: `loadAgent` at most 400 ms, the attach command at most 700 ms.%n%n",
                medianDifference(runs.get("loadAgent"), runs.get("empty"))));
    }

    private static String attachWay(String key) {
        switch (key) {
            case "tool":
                return "`java -jar tls-agent.jar attach <pid>` (whole command)";
            case "loadAgent":
                return "attach API `loadAgent` (agentmain included)";
            default:
                return "attach API `loadAgent` of an agent that does nothing";
        }
    }

    void memory(Map<String, List<MemoryRuns.Check>> checks, long logLines) {
        md.append("## Memory\n\n");
        md.append("Heap used after a full GC (three System.gc()), with and without the agent, and the agent's own"
                + " live objects (io.tlsagent.*, bundled libraries included; class histogram, shallow sizes)."
                + " Handshakes are engine pairs, TLS 1.3 full, TLS 1.3 resumed and TLS 1.2 full in turn; every "
                + o.abandonEvery + "th handshake also leaves a pair abandoned after the ClientHello.\n\n");
        md.append("| Handshakes | abandoned | heap without, KiB | heap with, KiB | difference, KiB |"
                + " agent objects, KiB | agent objects, count |\n|---|---|---|---|---|---|---|\n");
        List<MemoryRuns.Check> none = checks.get("none");
        List<MemoryRuns.Check> on = checks.get("on");
        for (int i = 0; i < on.size(); i++) {
            MemoryRuns.Check n = none.get(i);
            MemoryRuns.Check a = on.get(i);
            md.append(String.format(Locale.ROOT, "| %,d | %,d | %,d | %,d | %+,d | %,d | %,d |%n", a.handshakes,
                    a.abandoned, n.heap / 1024, a.heap / 1024, (a.heap - n.heap) / 1024, a.agentBytes / 1024,
                    a.agentObjects));
        }
        md.append(String.format(Locale.ROOT, "%nThe agent wrote %,d JSON lines: two per handshake (client and server"
                + " side), none for the abandoned pairs. Target: at most 16 MiB, flat from the first checkpoint to"
                + " the last.%n%n", logLines));
    }

    Path write() throws IOException {
        Path file = o.out.resolve("results.md");
        Files.writeString(file, md.toString());
        return file;
    }

    private void line(String s) {
        md.append(s).append('\n');
    }

    private static String quartiles(List<Double> xs) {
        return String.format(Locale.ROOT, "%.0f [%.0f, %.0f]", Stats.median(xs), Stats.quantile(xs, 0.25),
                Stats.quantile(xs, 0.75));
    }

    private static String medianDifference(List<Double> with, List<Double> without) {
        List<Double> d = new ArrayList<>();
        for (int i = 0; i < Math.min(with.size(), without.size()); i++) {
            d.add(with.get(i) - without.get(i));
        }
        double[] m = Stats.bootstrapMedian(d);
        return String.format(Locale.ROOT, "%+.0f [%+.0f, %+.0f]", m[1], m[0], m[2]);
    }

    private static List<Double> scores(List<JmhRuns.Fork> forks, String variant) {
        return forks.stream().filter(f -> f.variant.equals(variant)).map(f -> f.score).collect(Collectors.toList());
    }

    private static List<Double> allocs(List<JmhRuns.Fork> forks, String variant) {
        return forks.stream().filter(f -> f.variant.equals(variant)).map(f -> f.allocPerOp)
                .collect(Collectors.toList());
    }

    private static String cpuModel() {
        try {
            return Files.readAllLines(Paths.get("/proc/cpuinfo"), StandardCharsets.UTF_8).stream()
                    .filter(l -> l.startsWith("model name")).findFirst()
                    .map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse("unknown CPU");
        } catch (IOException e) {
            return "unknown CPU";
        }
    }

    private static String memTotal() {
        try {
            return Files.readAllLines(Paths.get("/proc/meminfo"), StandardCharsets.UTF_8).stream()
                    .filter(l -> l.startsWith("MemTotal")).findFirst()
                    .map(l -> String.format(Locale.ROOT, "%.1f GiB RAM",
                            Long.parseLong(l.replaceAll("[^0-9]", "")) / 1024.0 / 1024.0)).orElse("");
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }

    private String javaVersion() throws Exception {
        Process p = new ProcessBuilder(o.java(), "-version").redirectErrorStream(true).start();
        String v = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        p.waitFor();
        return v.replace("\n", "; ");
    }
}
