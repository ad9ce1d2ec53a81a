package io.tlsagent.bench;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** The suite's command line; {@link #USAGE} says what each option means. */
final class Options {

    static final String USAGE = String.join("\n",
            "usage: java -jar benchmarks/target/benchmarks.jar [options] [handshakes] [threads] [data] [alloc] [log] [startup]"
                    + " [attach] [memory]   (none given: all)",
            "  --agent-jar PATH     the agent to measure (default agent/target/tls-agent.jar)",
            "  --out DIR            results: results.md, forks.tsv, JMH output, flight recordings"
                    + " (default benchmarks/target/results)",
            "  --rounds N           interleaved fork pairs (without, with agent) per benchmark (default 6)",
            "  --warmup N           warmup iterations per fork (default 6)",
            "  --iterations N       measurement iterations per fork (default 5)",
            "  --time MS            length of each iteration (default 1000)",
            "  --variant NAME=ARGS  another agent variant: the standard agent arguments plus ARGS,",
            "                       e.g. --variant nojfr=jfr=false (repeatable)",
            "  --before JAR         one more variant, \"before\": another build of the agent (the one a change",
            "                       is measured against), standard arguments, interleaved with the others",
            "  --jvm PATH           the java of the forked JVMs (default: this one)",
            "  --startup-runs N     alternating launches per variant for startup (default 30)",
            "  --aot                startup with an ahead-of-time cache per variant (JDK 25: -XX:AOTCacheOutput),",
            "                       made by one training launch each",
            "  --attach-runs N      attaches measured per way (default 30)",
            "  --memory LIST        handshake checkpoints of the memory figure (default 10000,25000,50000,100000)",
            "  --engines LIST       engines of the allocation figure (alloc): jdk, conscrypt, netty (Netty's",
            "                       OpenSSL engine), netty-split, netty-split12 (the same, each record unwrapped",
            "                       from 2 or 12 buffers) (default all)",
            "  --alloc-runs N       runs per engine and variant of the allocation figure (default 3)",
            "  --no-jfr             no flight recording (no agent CPU share)",
            "  --smoke              everything once, tiny: proves the benchmarks run (CI), measures nothing");

    Path agentJar = Paths.get("agent/target/tls-agent.jar");
    Path out = Paths.get("benchmarks/target/results");
    int rounds = 6;
    int warmup = 6;
    int iterations = 5;
    int iterationMillis = 1000;
    final List<String[]> extraVariants = new ArrayList<>();
    Path beforeJar;
    String jvm;
    int startupRuns = 30;
    boolean aot;
    int attachRuns = 30;
    String memory = "10000,25000,50000,100000";
    int abandonEvery = 10;
    final List<RecordEngine> engines = new ArrayList<>(List.of(RecordEngine.values()));
    int allocRuns = 3;
    boolean jfr = true;
    boolean smoke;
    final Set<String> sections = new LinkedHashSet<>();

    static Options parse(String[] args) {
        Options o = new Options();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--agent-jar": o.agentJar = Paths.get(args[++i]); break;
                case "--out": o.out = Paths.get(args[++i]); break;
                case "--rounds": o.rounds = Integer.parseInt(args[++i]); break;
                case "--warmup": o.warmup = Integer.parseInt(args[++i]); break;
                case "--iterations": o.iterations = Integer.parseInt(args[++i]); break;
                case "--time": o.iterationMillis = Integer.parseInt(args[++i]); break;
                case "--before": o.beforeJar = Paths.get(args[++i]); break;
                case "--variant": {
                    String v = args[++i];
                    int eq = v.indexOf('=');
                    if (eq <= 0) {
                        throw new IllegalArgumentException("--variant NAME=ARGS, not " + v);
                    }
                    o.extraVariants.add(new String[] {v.substring(0, eq), v.substring(eq + 1)});
                    break;
                }
                case "--jvm": o.jvm = args[++i]; break;
                case "--startup-runs": o.startupRuns = Integer.parseInt(args[++i]); break;
                case "--aot": o.aot = true; break;
                case "--attach-runs": o.attachRuns = Integer.parseInt(args[++i]); break;
                case "--memory": o.memory = args[++i]; break;
                case "--engines": {
                    o.engines.clear();
                    for (String e : args[++i].split(",")) {
                        o.engines.add(RecordEngine.of(e.trim()));
                    }
                    break;
                }
                case "--alloc-runs": o.allocRuns = Integer.parseInt(args[++i]); break;
                case "--no-jfr": o.jfr = false; break;
                case "--smoke": o.smoke = true; break;
                case "--help": throw new IllegalArgumentException(USAGE);
                case "handshakes": case "threads": case "data": case "alloc": case "log": case "startup":
                case "attach": case "memory":
                    o.sections.add(a);
                    break;
                default:
                    throw new IllegalArgumentException("unknown argument " + a + "\n" + USAGE);
            }
        }
        if (o.sections.isEmpty()) {
            o.sections.addAll(List.of("handshakes", "threads", "data", "alloc", "log", "startup", "attach", "memory"));
        }
        if (o.smoke) {
            o.rounds = 1;
            o.warmup = 0;
            o.iterations = 1;
            o.iterationMillis = 100;
            o.jfr = false;
            o.startupRuns = 1;
            o.attachRuns = 1;
            o.memory = "150,300";
            o.allocRuns = 1;
        }
        return o;
    }

    String java() {
        return jvm != null ? jvm : Paths.get(System.getProperty("java.home"), "bin", "java").toString();
    }
}
