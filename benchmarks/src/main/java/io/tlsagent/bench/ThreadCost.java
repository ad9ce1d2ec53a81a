package io.tlsagent.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.profile.InternalProfiler;
import org.openjdk.jmh.results.AggregationPolicy;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.ScalarResult;
import org.openjdk.jmh.runner.IterationType;

/**
 * CPU time and bytes allocated per operation by thread, from the JVM's own per-thread counters (exact, and blind to
 * the machine's load: a thread's CPU time is its own): the handshake threads (the benchmark's JMH worker and the
 * socket benchmark's server thread, where the application's handshakes run, the agent's capture with them) and the
 * agent's own threads ({@code tls-agent-*}: export, log writer, endpoint).
 */
public final class ThreadCost implements InternalProfiler {

    static final String HANDSHAKE_CPU = "threads.handshake.cpu";
    static final String HANDSHAKE_ALLOC = "threads.handshake.alloc";
    static final String AGENT_CPU = "threads.agent.cpu";
    static final String AGENT_ALLOC = "threads.agent.alloc";

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private Map<Long, long[]> before = Map.of();

    /** The name {@link HandshakeThreadCost} gives the thread that makes its handshakes. */
    static final String HANDSHAKE_THREAD = "bench-handshakes";

    /** The threads where handshakes run. */
    static boolean handshakeThread(String name) {
        return name != null && (name.contains("-jmh-worker-") || name.equals(SocketHandshakes.SERVER_THREAD)
                || name.equals(HANDSHAKE_THREAD));
    }

    static boolean agentThread(String name) {
        return name != null && name.startsWith("tls-agent-");
    }

    @Override
    public String getDescription() {
        return "CPU time and allocation per operation of the handshake threads and of the agent's threads";
    }

    @Override
    public void beforeIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams) {
        before = snapshot();
    }

    @Override
    public Collection<? extends Result> afterIteration(BenchmarkParams benchmarkParams,
            IterationParams iterationParams, IterationResult result) {
        Map<Long, long[]> after = snapshot();
        long ops = result.getMetadata().getMeasuredOps();
        List<Result> out = new ArrayList<>();
        if (iterationParams.getType() != IterationType.MEASUREMENT || ops <= 0) {
            return out;
        }
        long[] handshake = new long[2];
        long[] agent = new long[2];
        for (ThreadInfo t : THREADS.getThreadInfo(toArray(after.keySet()))) {
            if (t == null) {
                continue;
            }
            long[] now = after.get(t.getThreadId());
            long[] then = before.getOrDefault(t.getThreadId(), new long[2]);
            long[] into = handshakeThread(t.getThreadName()) ? handshake : agentThread(t.getThreadName()) ? agent
                    : null;
            if (into != null && now[0] >= 0 && then[0] >= 0) {
                into[0] += now[0] - then[0];
                into[1] += now[1] - then[1];
            }
        }
        out.add(new ScalarResult(HANDSHAKE_CPU, (double) handshake[0] / ops, "ns/op", AggregationPolicy.AVG));
        out.add(new ScalarResult(HANDSHAKE_ALLOC, (double) handshake[1] / ops, "B/op", AggregationPolicy.AVG));
        out.add(new ScalarResult(AGENT_CPU, (double) agent[0] / ops, "ns/op", AggregationPolicy.AVG));
        out.add(new ScalarResult(AGENT_ALLOC, (double) agent[1] / ops, "B/op", AggregationPolicy.AVG));
        return out;
    }

    /** Per live thread: CPU nanoseconds and bytes allocated so far. */
    static Map<Long, long[]> snapshot() {
        long[] ids = THREADS.getAllThreadIds();
        long[] allocated = THREADS.getThreadAllocatedBytes(ids);
        Map<Long, long[]> out = new HashMap<>();
        for (int i = 0; i < ids.length; i++) {
            out.put(ids[i], new long[] {THREADS.getThreadCpuTime(ids[i]), allocated[i]});
        }
        return out;
    }

    private static long[] toArray(Collection<Long> ids) {
        long[] out = new long[ids.size()];
        int i = 0;
        for (long id : ids) {
            out[i++] = id;
        }
        return out;
    }
}
