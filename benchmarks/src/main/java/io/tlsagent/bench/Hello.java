package io.tlsagent.bench;

import java.io.IOException;

/**
 * The forked program of the startup figures. Prints {@code MAIN <System.nanoTime()>} first thing in {@code main}
 * (on Linux the clock is shared by all processes, so the launcher can subtract its own start time), then
 * {@code CPU <nanoseconds of CPU the JVM used so far>}; with
 * {@code --tls}, one in-memory TLS 1.3 handshake next, then {@code TLS <nanoTime>} and {@code CPUTLS <nanoseconds of
 * CPU the JVM used by then>}; with {@code --wait}, prints {@code READY} and waits for its standard input to close
 * (an attach target, or a JVM whose /metrics the launcher is waiting for).
 */
public final class Hello {

    private Hello() {}

    public static void main(String[] args) throws Exception {
        long main = System.nanoTime();
        System.out.println("MAIN " + main);
        // CPU the whole JVM has used so far (all threads): what a loaded machine cannot inflate the way it does
        // wall time. Read after MAIN, so its own cost is not in the wall figure.
        System.out.println("CPU " + cpu());
        for (String a : args) {
            if (a.equals("--tls")) {
                Pki.get().pair("TLSv1.3", false).handshake();
                System.out.println("TLS " + System.nanoTime());
                System.out.println("CPUTLS " + cpu());
            } else if (a.equals("--wait")) {
                System.out.println("READY");
                System.out.flush();
                waitForEof();
            }
        }
        System.out.flush();
    }

    private static long cpu() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private static void waitForEof() throws IOException {
        while (System.in.read() >= 0) {
            // until the launcher closes our stdin
        }
    }
}
