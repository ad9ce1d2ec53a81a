package io.tlsagent.export.jfr;

import io.tlsagent.anatomy.Hellos;
import io.tlsagent.export.Exporter;
import io.tlsagent.record.HandshakeRecord;
import java.util.function.Function;

/**
 * Makes the JFR exporter without naming it: this class links nothing of {@code jdk.jfr}, so that a runtime image
 * without that module never loads a class that does.
 */
public final class Jfr {

    private Jfr() {}

    /**
     * The exporter (also {@link AutoCloseable}: unregisters the event), or null when the JVM has no jdk.jfr.
     * {@code offers}: the fingerprints of a record's ClientHello (null when off), asked only while a recording runs.
     */
    public static Exporter exporter(Function<HandshakeRecord, Hellos.Offer> offers)
            throws ReflectiveOperationException {
        if (!ModuleLayer.boot().findModule("jdk.jfr").isPresent()) {
            return null;
        }
        return (Exporter) Class.forName("io.tlsagent.export.jfr.JfrExporter").getConstructor(Function.class)
                .newInstance(offers);
    }
}
