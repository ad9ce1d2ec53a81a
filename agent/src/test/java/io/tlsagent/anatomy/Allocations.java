package io.tlsagent.anatomy;

import java.lang.management.ManagementFactory;

/** Bytes the current thread allocates while running some code (HotSpot's per-thread allocation counter). */
final class Allocations {

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private Allocations() {}

    /**
     * Runs {@code code} twice and returns what the second run allocated: the first run of a code path may load
     * classes or link string concatenation, which is not the parser's doing.
     */
    static long steadyState(Runnable code) {
        code.run();
        long id = Thread.currentThread().getId();
        long before = THREADS.getThreadAllocatedBytes(id);
        code.run();
        return THREADS.getThreadAllocatedBytes(id) - before;
    }
}
