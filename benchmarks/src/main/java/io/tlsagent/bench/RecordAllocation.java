package io.tlsagent.bench;

import io.tlsagent.testsupport.EnginePair;
import io.tlsagent.testsupport.RecordPump;
import java.lang.management.ManagementFactory;

/**
 * Bytes the benchmark thread itself allocates per TLS record after the handshake (the JVM's per-thread allocation
 * counter, exact to the byte): the data-path promise of the agent, zero allocation, checked without any
 * background thread of either JVM in the count. Prints {@code ALLOC <bytes per record>} per round of
 * {@code <records>}; the first rounds are the JIT's warmup.
 */
public final class RecordAllocation {

    private RecordAllocation() {}

    public static void main(String[] args) throws Exception {
        int records = Integer.parseInt(args[0]);
        int rounds = Integer.parseInt(args[1]);
        EnginePair pair = Pki.get().pair("TLSv1.3", false);
        pair.handshake();
        RecordPump pump = new RecordPump(pair);
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long self = Thread.currentThread().getId();
        long sink = 0;
        for (int round = 0; round < rounds; round++) {
            long before = threads.getThreadAllocatedBytes(self);
            for (int i = 0; i < records; i++) {
                sink += pump.one();
            }
            long after = threads.getThreadAllocatedBytes(self);
            System.out.println("ALLOC " + (double) (after - before) / records);
        }
        System.out.println("SINK " + sink);
    }
}
