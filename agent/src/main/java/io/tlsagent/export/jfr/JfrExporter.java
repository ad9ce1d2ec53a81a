package io.tlsagent.export.jfr;

import io.tlsagent.anatomy.Hellos;
import io.tlsagent.export.Exporter;
import io.tlsagent.record.HandshakeAnatomy;
import io.tlsagent.record.HandshakeRecord;
import java.time.Instant;
import java.util.function.Function;
import jdk.jfr.FlightRecorder;

/**
 * Commits a {@link HandshakeEvent} per record while a recording that enables it runs; otherwise costs one
 * allocation the JIT removes and one flag check. Made by {@link Jfr#exporter()} only, so that a runtime image
 * without the {@code jdk.jfr} module never links it.
 */
public final class JfrExporter implements Exporter, AutoCloseable {

    private final Function<HandshakeRecord, Hellos.Offer> offers;

    public JfrExporter() {
        this(r -> null);
    }

    /**
     * {@code offers}: the fingerprints of a record's ClientHello. The event is committed on the handshake's thread,
     * before the export thread has made the record's anatomy; a recording that runs pays for a walk over the hello
     * (its parse and fingerprints are made once per kind of hello, shared with the export thread).
     */
    public JfrExporter(Function<HandshakeRecord, Hellos.Offer> offers) {
        this.offers = offers;
        // Loaded after the JVM started (an attach, or JFR initialised before the agent): registering makes the
        // event known to recordings started from now on, on every JDK.
        FlightRecorder.register(HandshakeEvent.class);
    }

    /** Unregisters the event type (detach): the JVM then holds no reference to the agent's class loader data. */
    @Override
    public void close() {
        FlightRecorder.unregister(HandshakeEvent.class);
    }

    @Override
    public void export(HandshakeRecord r) {
        HandshakeEvent e = new HandshakeEvent();
        if (!e.isEnabled()) {
            return;
        }
        Instant end = r.timestamp();
        long nanos = r.durationNanos();
        e.handshakeDuration = nanos;
        e.handshakeStart = (nanos >= 0 ? end.minusNanos(nanos) : end).toEpochMilli();
        e.role = r.role().label();
        e.api = r.api().label();
        e.provider = r.provider();
        e.protocol = r.protocol();
        e.cipherSuite = r.cipherSuite();
        e.resumed = Boolean.TRUE.equals(r.resumed());
        e.resumption = r.resumption() != null ? r.resumption().label() : null;
        e.namedGroup = r.namedGroup();
        e.applicationProtocol = r.applicationProtocol();
        e.serverName = r.serverName();
        e.peerAddress = r.peerAddress();
        e.peerPort = r.peerPort();
        e.localPort = r.localPort();
        e.success = r.success();
        e.errorType = r.success() ? null : r.error().label();
        e.errorMessage = r.errorMessage();
        e.alert = r.alert();
        HandshakeAnatomy a = r.anatomy();
        Hellos.Offer offer = a == null ? offers.apply(r) : null;
        if (a != null) {
            e.ja3 = a.ja3Md5();
            e.ja4 = a.ja4();
        } else if (offer != null) {
            e.ja3 = offer.ja3Md5();
            e.ja4 = offer.ja4();
        }
        e.commit();
    }
}
