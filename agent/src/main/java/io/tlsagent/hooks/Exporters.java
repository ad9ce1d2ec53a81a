package io.tlsagent.hooks;

import io.tlsagent.record.HandshakeListener;
import io.tlsagent.record.HandshakeRecord;
import io.tlsagent.util.AgentErrors;
import java.util.List;

/** Hands each record to every exporter; one failing exporter never stops the others or the handshake. */
final class Exporters {

    private final List<HandshakeListener> listeners;
    private final AgentErrors errors;

    Exporters(List<HandshakeListener> listeners, AgentErrors errors) {
        this.listeners = List.copyOf(listeners);
        this.errors = errors;
    }

    void publish(HandshakeRecord record) {
        for (HandshakeListener listener : listeners) {
            try {
                listener.onHandshake(record);
            } catch (Throwable t) {
                errors.record("exporter " + listener.getClass().getSimpleName(), t);
            }
        }
    }
}
