package io.tlsagent.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The agent's cost by thread, in one JVM that runs it: blocks of handshakes with the agent's capture connected and
 * disconnected in turn (its bridge's {@code current} set and cleared, what detach does first; the hooks then cost
 * their status check), measured with the JVM's per-thread counters: CPU time and bytes allocated by the handshake
 * threads (this one, and the socket server's), and by the agent's threads ({@code tls-agent-*}, after they went
 * idle). Pairs of blocks minutes apart at most, in one JVM with one JIT state, so the difference is the capture's
 * and the pipeline's, exactly, whatever the machine's load does to wall-clock time.
 *
 * <p>Prints {@code BLOCK <on|off> <handshakes> <handshake bytes> <handshake cpu ns> <agent bytes> <agent cpu ns>}.
 */
public final class HandshakeThreadCost {

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private final String workload;
    private final EngineHandshakes engines = new EngineHandshakes();
    private final SocketHandshakes sockets = new SocketHandshakes();

    private HandshakeThreadCost(String workload) throws Exception {
        this.workload = workload;
        if (workload.startsWith("socket")) {
            sockets.setup(); // its server thread is a handshake thread too
        } else {
            engines.setup();
        }
    }

    /** Args: workload, handshakes per block, pairs of blocks, warmup handshakes, recording (true/false). */
    public static void main(String[] args) throws Exception {
        Thread.currentThread().setName(ThreadCost.HANDSHAKE_THREAD);
        String workload = args[0];
        int perBlock = Integer.parseInt(args[1]);
        int pairs = Integer.parseInt(args[2]);
        int warmup = Integer.parseInt(args[3]);
        boolean recording = Boolean.parseBoolean(args[4]);
        jdk.jfr.Recording r = null;
        if (recording) {
            r = new jdk.jfr.Recording(jdk.jfr.Configuration.getConfiguration("default"));
            r.start();
        }
        HandshakeThreadCost cost = new HandshakeThreadCost(workload); // its first SSLContext waits for the hooks
        Bridge bridge = new Bridge();
        for (int i = 0; i < warmup; i++) {
            cost.handshake();
        }
        bridge.disconnect();
        for (int i = 0; i < warmup / 2; i++) {
            cost.handshake();
        }
        bridge.connect();
        awaitAgentIdle();
        for (int pair = 0; pair < pairs; pair++) {
            for (int b = 0; b < 2; b++) {
                boolean on = (pair % 2 == 0) == (b == 0);
                if (on) {
                    bridge.connect();
                } else {
                    bridge.disconnect();
                }
                cost.block(on, perBlock);
            }
        }
        bridge.connect();
        if (r != null) {
            r.close();
        }
        System.out.println("DONE");
    }

    private void block(boolean on, int handshakes) throws Exception {
        Map<Long, long[]> before = snapshot();
        for (int i = 0; i < handshakes; i++) {
            handshake();
        }
        Map<Long, long[]> handshaken = snapshot();
        awaitAgentIdle(); // the agent's threads finish the block's records
        Map<Long, long[]> after = snapshot();
        long[] hs = sum(before, handshaken, ThreadCost::handshakeThread);
        long[] agent = sum(before, after, ThreadCost::agentThread);
        System.out.println(String.format(Locale.ROOT, "BLOCK %s %d %d %d %d %d", on ? "on" : "off", handshakes,
                hs[1], hs[0], agent[1], agent[0]));
    }

    private void handshake() throws Exception {
        switch (workload) {
            case "engine-tls13-full":
                engines.tls13Full();
                break;
            case "engine-tls13-resumed":
                engines.tls13Resumed();
                break;
            case "engine-tls12-full":
                engines.tls12Full();
                break;
            case "socket-tls13-full":
                sockets.tls13Full();
                break;
            default:
                throw new IllegalArgumentException("unknown workload " + workload);
        }
    }

    /**
     * Waits until the agent's threads are idle: three 100 ms intervals in which they used less than 1 ms of CPU
     * together (idle, they only wake up now and then to look at their queues); bounded at 30 s.
     */
    private static void awaitAgentIdle() throws InterruptedException {
        long last = sum(Map.of(), snapshot(), ThreadCost::agentThread)[0];
        int quiet = 0;
        for (int i = 0; i < 300 && quiet < 3; i++) {
            Thread.sleep(100);
            long now = sum(Map.of(), snapshot(), ThreadCost::agentThread)[0];
            quiet = now - last < 1_000_000 ? quiet + 1 : 0;
            last = now;
        }
    }

    /** The {cpu ns, bytes} the named threads used between two snapshots. */
    private static long[] sum(Map<Long, long[]> from, Map<Long, long[]> to,
            java.util.function.Predicate<String> threads) {
        long[] out = new long[2];
        long[] ids = to.keySet().stream().mapToLong(Long::longValue).toArray();
        for (ThreadInfo t : THREADS.getThreadInfo(ids)) {
            if (t != null && threads.test(t.getThreadName())) {
                long[] a = from.getOrDefault(t.getThreadId(), new long[2]);
                long[] b = to.get(t.getThreadId());
                out[0] += b[0] - a[0];
                out[1] += b[1] - a[1];
            }
        }
        return out;
    }

    private static Map<Long, long[]> snapshot() {
        return ThreadCost.snapshot();
    }

    /** The agent's bridges ({@code io.tlsagent.bootstrap.*Events.current}, public, in the boot loader). */
    private static final class Bridge {
        private final List<Field> fields = new ArrayList<>();
        private final List<Object> connected = new ArrayList<>();

        Bridge() throws Exception {
            for (String name : List.of("io.tlsagent.bootstrap.SunJsseEvents", "io.tlsagent.bootstrap.PublicApiEvents")) {
                Field f = Class.forName(name, false, null).getField("current");
                for (int i = 0; i < 300 && f.get(null) == null; i++) {
                    Thread.sleep(100); // the agent starts beside main
                }
                if (f.get(null) == null) {
                    throw new IllegalStateException("the agent is not running: " + name + ".current is null");
                }
                fields.add(f);
                connected.add(f.get(null));
            }
        }

        void connect() throws IllegalAccessException {
            for (int i = 0; i < fields.size(); i++) {
                fields.get(i).set(null, connected.get(i));
            }
        }

        void disconnect() throws IllegalAccessException {
            for (Field f : fields) {
                f.set(null, null);
            }
        }
    }
}
