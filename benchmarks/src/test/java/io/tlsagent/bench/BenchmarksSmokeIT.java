package io.tlsagent.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * CI's smoke of the benchmarks: the whole suite once, tiny ({@code --smoke}), in its own JVM as a user runs it.
 * It proves every benchmark still runs with and without the agent and that the agent really recorded in the forks
 * that had it; it times nothing (the numbers of a smoke run mean nothing, docs/performance.md has real ones).
 */
class BenchmarksSmokeIT {

    @TempDir
    Path out;

    @Test
    void everyBenchmarkRunsWithAndWithoutTheAgent() throws Exception {
        String java = System.getProperty("tlsagent.test.java",
                Paths.get(System.getProperty("java.home"), "bin", "java").toString());
        List<String> cmd = new ArrayList<>(List.of(Paths.get(System.getProperty("java.home"), "bin", "java")
                .toString()));
        if (System.getProperty("jmh.ignoreLock") != null) {
            cmd.add("-Djmh.ignoreLock=" + System.getProperty("jmh.ignoreLock")); // a real run holds JMH's lock
        }
        cmd.addAll(List.of("-jar", System.getProperty("tlsagent.bench.jar"), "--smoke", "--agent-jar",
                System.getProperty("tlsagent.test.jar"), "--jvm", java, "--out", out.toString()));
        Path console = out.resolve("console.txt");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(console.toFile()).start();
        assertThat(p.waitFor(10, TimeUnit.MINUTES)).as("the smoke finished").isTrue();
        assertThat(p.exitValue()).as(Files.readString(console)).isZero();

        List<String[]> forks = Files.readAllLines(out.resolve("forks.tsv")).stream().skip(1)
                .map(l -> l.split("\t")).collect(Collectors.toList());
        List<String> compared = new ArrayList<>(Suite.HANDSHAKES);
        compared.addAll(Suite.DATA);
        for (String benchmark : compared) {
            String name = JmhRuns.shortName(benchmark);
            for (String variant : List.of("none", "on")) {
                String[] row = forks.stream().filter(f -> f[0].equals(name) && f[1].equals(variant)).findFirst()
                        .orElseThrow(() -> new AssertionError("no fork of " + name + " " + variant));
                assertThat(Double.parseDouble(row[3])).as(name + " " + variant + " ops/s").isPositive();
                assertThat(Double.parseDouble(row[5])).as(name + " " + variant + " B/op (-prof gc)").isPositive();
                long lines = Long.parseLong(row[6]);
                if (variant.equals("on")) {
                    assertThat(lines).as(name + ": the agent recorded in its fork").isPositive();
                } else {
                    assertThat(lines).isZero();
                }
            }
        }
        assertThat(forks).anySatisfy(f -> assertThat(f[0]).isEqualTo("LogWriter.lines"));

        String results = Files.readString(out.resolve("results.md"));
        assertThat(results).contains("## Throughput with and without the agent",
                "## Allocation per record on the data path", "## JSON log writer",
                "## Startup", "## Attach", "## Memory");
        for (RecordEngine engine : RecordEngine.values()) {
            assertThat(results).as("allocation per record through " + engine.id).contains("| " + engine.id + " |");
        }
        // The memory run checks itself: two JSON lines per completed handshake, none for abandoned ones.
        assertThat(results).contains("The agent wrote 600 JSON lines");
    }
}
