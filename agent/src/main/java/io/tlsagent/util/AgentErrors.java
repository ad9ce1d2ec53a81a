package io.tlsagent.util;

import java.util.concurrent.atomic.AtomicLong;

/** Counts Throwables the agent swallowed so that the application never sees them; exported as a metric. */
public final class AgentErrors {

    private final AtomicLong count = new AtomicLong();

    public void record(String where, Throwable t) {
        count.incrementAndGet();
        AgentLog.once("internal error in " + where + " (ignored, TLS is unaffected): " + t);
    }

    /** Counts a failure the agent explains in its own words; each distinct message is said once. */
    public void report(String message) {
        count.incrementAndGet();
        AgentLog.once(message);
    }

    public long count() {
        return count.get();
    }
}
