package io.tlsagent.export.jfr;

import io.tlsagent.export.Exporter;

/**
 * Makes the JFR exporter without naming it: this class links nothing of {@code jdk.jfr}, so that a runtime image
 * without that module never loads a class that does.
 */
public final class Jfr {

    private Jfr() {}

    /** The exporter (also {@link AutoCloseable}: unregisters the event), or null when the JVM has no jdk.jfr. */
    public static Exporter exporter() throws ReflectiveOperationException {
        if (!ModuleLayer.boot().findModule("jdk.jfr").isPresent()) {
            return null;
        }
        return (Exporter) Class.forName("io.tlsagent.export.jfr.JfrExporter").getConstructor().newInstance();
    }
}
