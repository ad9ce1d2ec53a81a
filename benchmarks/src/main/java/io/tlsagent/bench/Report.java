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
    }

    void recordAllocation(Map<String, List<Double>> runs) {
        md.append("## Allocation per record on the data path\n\n");
        md.append("Bytes the application's thread allocates per TLS record (16,367 bytes of data, wrap then unwrap)"
                + " once the JIT has settled: the JVM's per-thread counter, exact to the byte, no background"
                + " thread counted.\n\n| Variant | runs | bytes per record |\n|---|---|---|\n");
        for (Map.Entry<String, List<Double>> e : runs.entrySet()) {
            md.append(String.format(Locale.ROOT, "| %s | %d | %s |%n", e.getKey(), e.getValue().size(),
                    e.getValue().stream().map(x -> String.format(Locale.ROOT, "%.1f", x))
                            .collect(Collectors.joining(", "))));
        }
        md.append('\n');
    }

    void logWriter(List<JmhRuns.Fork> forks) {
        List<Double> s = forks.stream().map(f -> f.score).collect(Collectors.toList());
        md.append("## JSON log writer\n\n");
        md.append(String.format(Locale.ROOT, "Lines written per second to a file, sustained: %.0f ± %.0f (95%%, %d"
                + " forks; per fork %s). Target: at least 20,000.%n%n", Stats.mean(s), Stats.ci95(s), s.size(),
                s.stream().map(x -> String.format(Locale.ROOT, "%.0f", x)).collect(Collectors.joining(", "))));
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
