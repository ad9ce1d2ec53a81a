package io.tlsagent.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * JMH benchmarks with and without the agent, one fork at a time: round after round, each benchmark forks once per
 * variant, the order of the variants alternating from round to round. Each round gives one pair of forks that ran
 * minutes apart at most, so the machine's slow drift cancels in their ratio; the spread of the ratios over the
 * rounds gives its confidence interval.
 */
final class JmhRuns {

    /** One forked JVM's results. */
    static final class Fork {
        String benchmark;
        String variant;
        int round;
        double score;
        double scoreError; // JMH's 99.9% interval over this fork's iterations
        double allocPerOp = Double.NaN; // gc.alloc.rate.norm, bytes per operation
        long logLines;
        long samples;
        long agentSamples;
        long writerSamples;
        java.util.Map<String, Long> parts = java.util.Map.of();
        long handshakeSamples;
        long handshakeAgentSamples;
        long agentThreadSamples;
        // ThreadCost: per operation, the handshake threads' and the agent's threads' CPU (ns) and allocation (B)
        double handshakeCpu = Double.NaN;
        double handshakeAlloc = Double.NaN;
        double agentCpu = Double.NaN;
        double agentAlloc = Double.NaN;
    }

    private final Options o;
    private final Path keystore;
    private final Path jfc;
    private final Path dir;
    private final Path tsv;

    JmhRuns(Options o, Path keystore, Path jfc) throws IOException {
        this.o = o;
        this.keystore = keystore;
        this.jfc = jfc;
        this.dir = Files.createDirectories(o.out.resolve("forks"));
        this.tsv = o.out.resolve("forks.tsv");
        if (!Files.exists(tsv)) {
            Files.writeString(tsv, "benchmark\tvariant\tround\tscore_ops_s\tfork_error_99.9\talloc_bytes_op"
                    + "\tlog_lines\tjfr_samples\tagent_samples\twriter_samples\thandshake_thread_samples"
                    + "\thandshake_thread_agent_samples\tagent_thread_samples\thandshake_threads_cpu_ns_op"
                    + "\thandshake_threads_bytes_op\tagent_threads_cpu_ns_op\tagent_threads_bytes_op\n");
        }
    }

    /** Every benchmark with every variant, {@code rounds} times, interleaved. */
    Map<String, List<Fork>> compare(List<String> benchmarks, List<Variant> variants)
            throws IOException, RunnerException {
        Map<String, List<Fork>> results = new LinkedHashMap<>();
        for (int round = 1; round <= o.rounds; round++) {
            for (String b : benchmarks) {
                List<Variant> order = new ArrayList<>(variants);
                if (round % 2 == 0) {
                    java.util.Collections.reverse(order);
                }
                for (Variant v : order) {
                    results.computeIfAbsent(b, k -> new ArrayList<>()).add(fork(b, v, round));
                }
            }
        }
        return results;
    }

    /**
     * One benchmark without any comparison (the log writer), with the agent jar's classes but the agent off;
     * {@code params}: JMH parameters, name=value.
     */
    List<Fork> alone(String benchmark, String agentArgs, String... params) throws IOException, RunnerException {
        List<Fork> forks = new ArrayList<>();
        for (int round = 1; round <= o.rounds; round++) {
            Fork f = run(benchmark, "classes" + (params.length > 0 ? "-" + String.join("-", params) : ""), round,
                    List.of("-javaagent:" + o.agentJar.toAbsolutePath() + "=" + agentArgs), null, params);
            append(f);
            forks.add(f);
        }
        return forks;
    }

    private Fork fork(String benchmark, Variant v, int round) throws IOException, RunnerException {
        String id = shortName(benchmark) + "-" + v.name + "-" + round;
        Path log = dir.resolve(id + ".jsonl");
        Files.deleteIfExists(log);
        Fork f = run(benchmark, v.name, round, v.jvmArgs(o.agentJar, log), o.jfr ? dir.resolve(id + ".jfr") : null);
        f.logLines = Variant.lines(log);
        Files.deleteIfExists(log); // can be large; its line count is what we keep
        append(f);
        if (v.agent() && f.logLines == 0) {
            throw new IllegalStateException(id + ": the agent wrote no JSON line; it was not measured");
        }
        return f;
    }

    private Fork run(String benchmark, String variant, int round, List<String> agentArgs, Path recording,
            String... params) throws IOException, RunnerException {
        String id = shortName(benchmark) + "-" + variant + "-" + round;
        List<String> jvmArgs = new ArrayList<>(List.of("-Xms512m", "-Xmx512m",
                "-D" + Pki.KEYSTORE_PROPERTY + "=" + keystore.toAbsolutePath()));
        jvmArgs.addAll(agentArgs);
        if (recording != null) {
            Files.deleteIfExists(recording);
            // Sampling starts after the warmup (plus a second for the JVM's start), ends with the fork.
            long delay = (long) o.warmup * o.iterationMillis / 1000 + 2;
            jvmArgs.add("-XX:StartFlightRecording=delay=" + delay + "s,dumponexit=true,filename="
                    + recording.toAbsolutePath() + ",settings=" + jfc.toAbsolutePath());
        }
        ChainedOptionsBuilder b = new OptionsBuilder()
                .include("^" + Pattern.quote(benchmark) + "$")
                .forks(1)
                .warmupIterations(o.warmup)
                .warmupTime(TimeValue.milliseconds(o.iterationMillis))
                .measurementIterations(o.iterations)
                .measurementTime(TimeValue.milliseconds(o.iterationMillis))
                .addProfiler(GCProfiler.class)
                .addProfiler(ThreadCost.class)
                .jvmArgsAppend(jvmArgs.toArray(new String[0]))
                .shouldFailOnError(true)
                .output(dir.resolve(id + ".txt").toString());
        if (o.jvm != null) {
            b.jvm(o.jvm);
        }
        for (String param : params) {
            b.param(param.substring(0, param.indexOf('=')), param.substring(param.indexOf('=') + 1));
        }
        RunResult r = new Runner(b.build()).runSingle();
        Fork f = new Fork();
        f.benchmark = benchmark;
        f.variant = variant;
        f.round = round;
        f.score = r.getPrimaryResult().getScore();
        f.scoreError = r.getPrimaryResult().getScoreError();
        Result<?> alloc = r.getSecondaryResults().get("gc.alloc.rate.norm");
        if (alloc != null) {
            f.allocPerOp = alloc.getScore();
        }
        f.handshakeCpu = secondary(r, ThreadCost.HANDSHAKE_CPU);
        f.handshakeAlloc = secondary(r, ThreadCost.HANDSHAKE_ALLOC);
        f.agentCpu = secondary(r, ThreadCost.AGENT_CPU);
        f.agentAlloc = secondary(r, ThreadCost.AGENT_ALLOC);
        if (recording != null && Files.exists(recording)) {
            AgentShare s = AgentShare.of(recording);
            f.samples = s.samples;
            f.agentSamples = s.agentSamples;
            f.writerSamples = s.writerSamples;
            f.parts = s.parts;
            f.handshakeSamples = s.handshakeSamples;
            f.handshakeAgentSamples = s.handshakeAgentSamples;
            f.agentThreadSamples = s.agentThreadSamples;
        }
        System.out.printf(Locale.ROOT, "%-40s %-8s round %2d: %12.1f ops/s  %10.1f B/op  %s%n", shortName(benchmark),
                variant, round, f.score, f.allocPerOp,
                recording != null ? f.agentSamples + "/" + f.samples + " samples in the agent" : "");
        return f;
    }

    private static double secondary(RunResult r, String name) {
        Result<?> x = r.getSecondaryResults().get(name);
        return x != null ? x.getScore() : Double.NaN;
    }

    private void append(Fork f) throws IOException {
        Files.writeString(tsv, String.format(Locale.ROOT, "%s\t%s\t%d\t%.3f\t%.3f\t%.1f\t%d\t%d\t%d\t%d\t%d\t%d\t%d"
                + "\t%.0f\t%.1f\t%.0f\t%.1f%n", shortName(f.benchmark), f.variant, f.round, f.score, f.scoreError,
                f.allocPerOp, f.logLines, f.samples, f.agentSamples, f.writerSamples, f.handshakeSamples,
                f.handshakeAgentSamples, f.agentThreadSamples, f.handshakeCpu, f.handshakeAlloc, f.agentCpu,
                f.agentAlloc), java.nio.file.StandardOpenOption.APPEND);
    }

    static String shortName(String benchmark) {
        return benchmark.substring(benchmark.lastIndexOf('.', benchmark.lastIndexOf('.') - 1) + 1);
    }
}
