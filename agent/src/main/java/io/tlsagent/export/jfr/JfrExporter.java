package io.tlsagent.export.jfr;

import io.tlsagent.anatomy.Hellos;
import io.tlsagent.record.HandshakeAnatomy;
import io.tlsagent.record.HandshakeRecord;
import io.tlsagent.util.HandshakeSpans;
import java.util.function.Function;
import jdk.jfr.EventType;
import jdk.jfr.FlightRecorder;
import jdk.jfr.FlightRecorderListener;

/**
 * The {@link HandshakeEvent} of each handshake, begun when it starts and committed, with its record's details, by the
 * thread that ended it, while a recording that enables the event runs. With no recording, a handshake costs a
 * read of the event type's enabled flag and allocates nothing.
 *
 * <p>The event type is registered only once Flight Recorder is initialized: at once if it is (a recording runs or
 * ran), else when the first recording starts ({@link FlightRecorderListener#recorderInitialized}, which the JDK calls
 * before that recording starts, also for {@code jcmd JFR.start} long after the agent). So a JVM that never records
 * never pays for initializing Flight Recorder. Made by {@link Jfr#spans()} only, so that a runtime image without
 * the {@code jdk.jfr} module never links it.
 */
public final class JfrExporter implements HandshakeSpans, AutoCloseable {

    private final FlightRecorderListener listener = new FlightRecorderListener() {
        @Override
        public void recorderInitialized(FlightRecorder recorder) {
            register();
        }
    };
    /** Set once the event is registered; its {@code isEnabled()} reads a flag and allocates nothing. */
    private volatile EventType type;
    private boolean closed;

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
        FlightRecorder.addListener(listener); // calls recorderInitialized now if Flight Recorder is initialized
    }

    private synchronized void register() {
        if (closed || type != null) {
            return;
        }
        FlightRecorder.register(HandshakeEvent.class);
        type = EventType.getEventType(HandshakeEvent.class);
    }

    /** Whether a recording that enables the event runs now. */
    private boolean recording() {
        EventType t = type;
        return t != null && t.isEnabled();
    }

    @Override
    public Object begin() {
        if (!recording()) {
            return null;
        }
        HandshakeEvent e = new HandshakeEvent();
        e.begin();
        return e;
    }

    @Override
    public void end(Object span) {
        if (span instanceof HandshakeEvent) {
            ((HandshakeEvent) span).end();
        }
    }

    @Override
    public void commit(Object span, HandshakeRecord r) {
        HandshakeEvent e;
        if (span instanceof HandshakeEvent) {
            e = (HandshakeEvent) span;
        } else if (recording()) {
            e = new HandshakeEvent(); // its start was not seen, or no recording ran then: no duration
        } else {
            return;
        }
        if (!e.shouldCommit()) {
            return; // shorter than the recordings' threshold, or no recording runs any more
        }
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
        e.peerDomain = r.peerDomain();
        e.localAddress = r.localAddress();
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

    /**
     * Detach: stops listening and unregisters the event type, so the JVM holds no reference to the agent's classes.
     */
    @Override
    public synchronized void close() {
        closed = true;
        FlightRecorder.removeListener(listener);
        if (type != null) {
            type = null;
            FlightRecorder.unregister(HandshakeEvent.class);
        }
    }
}
