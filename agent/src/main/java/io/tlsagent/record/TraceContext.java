package io.tlsagent.record;

/**
 * The span that was current on the thread that started a client handshake (an outgoing call made under a traced
 * request), as OpenTelemetry (W3C Trace Context) identifies it: 32 and 16 lower-case hex digits.
 */
public final class TraceContext {

    private final String traceId;
    private final String spanId;
    private final boolean sampled;

    public TraceContext(String traceId, String spanId, boolean sampled) {
        this.traceId = traceId;
        this.spanId = spanId;
        this.sampled = sampled;
    }

    public String traceId() {
        return traceId;
    }

    public String spanId() {
        return spanId;
    }

    /** Whether the trace is sampled (recorded and exported). */
    public boolean sampled() {
        return sampled;
    }
}
