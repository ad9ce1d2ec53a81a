package io.tlsagent.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The whole suite: every figure of docs/performance.md, each measured with and without the agent in the same run;
 * writes {@code results.md} (the tables) and {@code forks.tsv} (every fork) into the output directory.
 */
public final class Suite {

    static final List<String> HANDSHAKES = List.of(
            EngineHandshakes.class.getName() + ".tls13Full",
            EngineHandshakes.class.getName() + ".tls13Resumed",
            EngineHandshakes.class.getName() + ".tls12Full",
            SocketHandshakes.class.getName() + ".tls13Full");
    static final List<String> DATA = List.of(
            DataPath.class.getName() + ".engineRecord16k",
            DataPath.class.getName() + ".socketBulk1m");
    static final String LOG = LogWriter.class.getName() + ".lines";

    private Suite() {}

    public static void main(String[] args) throws Exception {
        Options o;
        try {
            o = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        if (!Files.isRegularFile(o.agentJar)) {
            System.err.println("no agent jar at " + o.agentJar.toAbsolutePath() + " (build it: mvn -B -pl agent"
                    + " -DskipTests package, or give --agent-jar)");
            System.exit(2);
        }
        Files.createDirectories(o.out);
        Files.deleteIfExists(o.out.resolve("forks.tsv"));
        Path keystore = Pki.create(o.out);
        Path jfc = AgentShare.writeSettings(o.out);
        List<Variant> variants = Variant.of(o);
        Report report = new Report(o);
        report.header();

        JmhRuns jmh = new JmhRuns(o, keystore, jfc);
        List<String> compared = new ArrayList<>();
        if (o.sections.contains("handshakes")) {
            compared.addAll(HANDSHAKES);
        }
        if (o.sections.contains("data")) {
            compared.addAll(DATA);
        }
        if (!compared.isEmpty()) {
            report.compared(jmh.compare(compared, variants), variants);
        }
        if (o.sections.contains("log")) {
            report.logWriter(jmh.alone(LOG, "enabled=false", "detail=summary"),
                    jmh.alone(LOG, "enabled=false", "detail=full"));
        }
        if (o.sections.contains("threads")) {
            ThreadRuns threads = new ThreadRuns(o, keystore);
            List<ThreadRuns.Run> runs = new ArrayList<>();
            for (Variant v : variants) {
                if (v.agent()) {
                    runs.addAll(threads.run(v));
                }
            }
            report.threadCost(runs);
        }
        if (o.sections.contains("alloc")) {
            report.recordAllocation(new AllocationRuns(o, keystore).run(variants, o.allocRuns), variants);
        }
        StartupRuns startup = new StartupRuns(o, keystore);
        if (o.sections.contains("startup")) {
            report.startup(startup.startup(variants));
        }
        if (o.sections.contains("attach")) {
            report.attach(startup.attach());
        }
        if (o.sections.contains("memory")) {
            MemoryRuns memory = new MemoryRuns(o, keystore);
            Map<String, List<MemoryRuns.Check>> checks = memory.run(variants);
            report.memory(checks, memory.agentLogLines);
        }
        Path md = report.write();
        System.out.println("results: " + md.toAbsolutePath() + " and " + o.out.resolve("forks.tsv").toAbsolutePath());
    }

    static String now() {
        return ZonedDateTime.now().format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm z", Locale.ROOT));
    }
}
