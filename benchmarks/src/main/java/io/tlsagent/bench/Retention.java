package io.tlsagent.bench;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import javax.management.ObjectName;

/**
 * The forked program of the memory figure: {@code <checkpoints>} handshakes (e.g. 10000,100000), TLS 1.3 full,
 * TLS 1.3 resumed and TLS 1.2 full in turn, on engine pairs; after every {@code <abandonEvery>}th also a pair
 * dropped mid-handshake (the server has read the ClientHello, nobody ever closes either). At each checkpoint:
 * {@code CHECK <handshakes> <abandoned> <heap used after full GC> <bytes of io.tlsagent.* objects> <their count>}.
 */
public final class Retention {

    private Retention() {}

    public static void main(String[] args) throws Exception {
        List<Integer> checkpoints = new ArrayList<>();
        for (String s : args[0].split(",")) {
            checkpoints.add(Integer.parseInt(s));
        }
        int abandonEvery = Integer.parseInt(args[1]);
        Pki pki = Pki.get();
        String[] protocols = {"TLSv1.3", "TLSv1.3", "TLSv1.2"};
        boolean[] resumable = {false, true, false};
        int done = 0;
        int abandoned = 0;
        for (int checkpoint : checkpoints) {
            while (done < checkpoint) {
                int kind = done % 3;
                pki.pair(protocols[kind], resumable[kind]).handshake();
                done++;
                if (done % abandonEvery == 0) {
                    pki.pair("TLSv1.3", false).abandonAfterClientHello();
                    abandoned++;
                }
            }
            long heap = heapAfterGc();
            long[] agent = agentObjects();
            System.out.println("CHECK " + done + " " + abandoned + " " + heap + " " + agent[0] + " " + agent[1]);
        }
    }

    static long heapAfterGc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /**
     * Live objects of the agent's classes (its bundled libraries included), shallow bytes and count, from the
     * JVM's class histogram (the same as {@code jcmd <pid> GC.class_histogram}, which also collects first).
     */
    static long[] agentObjects() throws Exception {
        String histogram = (String) ManagementFactory.getPlatformMBeanServer().invoke(
                new ObjectName("com.sun.management:type=DiagnosticCommand"), "gcClassHistogram",
                new Object[] {null}, new String[] {String[].class.getName()});
        long bytes = 0;
        long count = 0;
        for (String line : histogram.split("\n")) {
            String[] f = line.trim().split("\\s+");
            // " 123:  <instances>  <bytes>  <class name> (<module>)"
            if (f.length >= 4 && f[0].endsWith(":") && f[3].startsWith("io.tlsagent.")
                    && !f[3].startsWith("io.tlsagent.bench.")) {
                count += Long.parseLong(f[1]);
                bytes += Long.parseLong(f[2]);
            }
        }
        return new long[] {bytes, count};
    }
}
