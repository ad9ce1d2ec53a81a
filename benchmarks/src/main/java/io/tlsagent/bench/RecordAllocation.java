package io.tlsagent.bench;

import io.tlsagent.testsupport.EnginePair;
import java.lang.management.ManagementFactory;

/**
 * Bytes the benchmark thread itself allocates per TLS record after the handshake (the JVM's per-thread allocation
 * counter, exact to the byte): the data-path promise of the agent, zero allocation, checked without any
 * background thread of either JVM in the count. The engine is the JDK's unless named ({@link RecordEngine}: jdk,
 * conscrypt, netty, netty-split, netty-split12). Prints the engines' classes and the record's size, then
 * {@code ALLOC <bytes per record>} per round of {@code <records>}; the first rounds are the JIT's warmup.
 * <pre>RecordAllocation RECORDS ROUNDS [ENGINE]</pre>
 */
public final class RecordAllocation {

    private RecordAllocation() {}

    public static void main(String[] args) throws Exception {
        int records = Integer.parseInt(args[0]);
        int rounds = Integer.parseInt(args[1]);
        RecordEngine engine = RecordEngine.of(args.length > 2 ? args[2] : RecordEngine.JDK.id);
        EnginePair pair = engine.handshaken(Pki.get());
        RecordEngine.Pump pump = engine.pump(pair);
        int size = pump.one();
        System.out.println("ENGINES " + pair.client.getClass().getName() + " " + pair.server.getClass().getName()
                + " " + pair.client.getSession().getProtocol() + " record " + size + " bytes");
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
