package io.tlsagent.export;

import io.tlsagent.record.HandshakeRecord;

/**
 * Consumes finished handshake records. {@link ExportPipeline} calls {@link #export} on the agent's own export
 * thread, one record after another, never on the application's threads; an exporter must still never block for
 * long (one that writes somewhere slow keeps its own queue, as the JSON log does).
 */
public interface Exporter {

    void export(HandshakeRecord record);

    /** Called on the export thread about once a second, also when no handshake happens. */
    default void tick() {}
}
