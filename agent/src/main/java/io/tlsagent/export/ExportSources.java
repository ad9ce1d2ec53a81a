package io.tlsagent.export;

import io.tlsagent.export.ecs.EcsJson;
import io.tlsagent.export.meters.HandshakeCounts;
import io.tlsagent.export.meters.OtlpCounts;
import io.tlsagent.export.meters.TlsMeters;
import java.util.Map;
import java.util.function.DoubleSupplier;

/**
 * What an exporter to a registry other than the agent's own (OpenTelemetry's) reads: the exact handshake counts,
 * the agent's health meters (each read from the object that keeps it), the formatter of the JSON line, and where
 * the OTLP push counts what it could not deliver.
 */
public final class ExportSources {

    private final HandshakeCounts counts;
    private final Map<TlsMeters, DoubleSupplier> health;
    private final EcsJson ecs;
    private final String version;
    private final OtlpCounts otlp;

    public ExportSources(HandshakeCounts counts, Map<TlsMeters, DoubleSupplier> health, EcsJson ecs,
            String version, OtlpCounts otlp) {
        this.counts = counts;
        this.health = Map.copyOf(health);
        this.ecs = ecs;
        this.version = version;
        this.otlp = otlp;
    }

    public HandshakeCounts counts() {
        return counts;
    }

    /** The agent's own counters and gauges, without labels. */
    public Map<TlsMeters, DoubleSupplier> health() {
        return health;
    }

    public EcsJson ecs() {
        return ecs;
    }

    public String version() {
        return version;
    }

    public OtlpCounts otlp() {
        return otlp;
    }
}
