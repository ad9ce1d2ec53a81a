package io.tlsagent.export.jfr;

import io.tlsagent.anatomy.Hellos;
import io.tlsagent.record.HandshakeRecord;
import io.tlsagent.util.HandshakeSpans;
import java.util.function.Function;

/**
 * Makes the JFR exporter without naming it: this class links nothing of {@code jdk.jfr}, so that a runtime image
 * without that module never loads a class that does.
 */
public final class Jfr {

    private Jfr() {}

    /**
     * The handshake spans that are JFR events (also {@link AutoCloseable}: unregisters the event), or null when the
     * JVM has no jdk.jfr. {@code offers}: the fingerprints of a record's ClientHello (null when off), asked only
     * while a recording runs.
     */
    public static HandshakeSpans spans(Function<HandshakeRecord, Hellos.Offer> offers)
            throws ReflectiveOperationException {
        if (!ModuleLayer.boot().findModule("jdk.jfr").isPresent()) {
            return null;
        }
        return (HandshakeSpans) Class.forName("io.tlsagent.export.jfr.JfrExporter").getConstructor(Function.class)
                .newInstance(offers);
    }
}
