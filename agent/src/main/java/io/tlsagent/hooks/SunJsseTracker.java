package io.tlsagent.hooks;

import io.tlsagent.record.Api;
import io.tlsagent.record.ErrorClassifier;
import io.tlsagent.record.ErrorType;
import io.tlsagent.record.HandshakeAnatomy;
import io.tlsagent.record.HandshakeMessage;
import io.tlsagent.record.HandshakeRecord;
import io.tlsagent.record.Resumption;
import io.tlsagent.record.Role;
import io.tlsagent.util.AgentErrors;
import io.tlsagent.util.AgentLog;
import io.tlsagent.util.WeakIdentityMap;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSession;

/**
 * Turns what the SunJSSE hooks report into exactly one {@link HandshakeRecord} per handshake and side.
 *
 * <p>A handshake is keyed by its {@code HandshakeContext} (a renegotiation gets a new one). Its clock starts at
 * the first handshake message this side sends or receives, so a server never counts time spent waiting for the
 * client. It ends at {@code finishHandshake} (success, called once per handshake), at the first {@code fatal}
 * of the connection, or when an engine's application closes the inbound side mid-handshake. Handshakes that
 * are simply dropped vanish with their weakly held context.
 */
public final class SunJsseTracker {

    private static final String PROVIDER = "SunJSSE";
    private static final int MAX_IN_FLIGHT = 100_000;

    private final SunJsseInternals jsse;
    private final Exporters exporters;
    private final AgentErrors errors;
    private final AnatomyAssembler anatomy;
    private final WeakIdentityMap<InFlight> inFlight = new WeakIdentityMap<>(MAX_IN_FLIGHT);

    /** A tracker for this JDK's SunJSSE, or null (said once) when its internals are not what the hooks need. */
    static SunJsseTracker forSunJsse(Exporters exporters, AgentErrors errors, AnatomyAssembler anatomy) {
        SunJsseInternals jsse = SunJsseInternals.get();
        if (!jsse.usable()) {
            AgentLog.info("this JDK's SunJSSE is not as expected; its handshakes are recorded through the public"
                    + " API only (no resumption kind, group or failure alerts), TLS is unaffected");
            return null;
        }
        return new SunJsseTracker(jsse, exporters, errors, anatomy);
    }

    SunJsseTracker(SunJsseInternals jsse, Exporters exporters, AgentErrors errors, AnatomyAssembler anatomy) {
        this.jsse = jsse;
        this.anatomy = anatomy;
        this.exporters = exporters;
        this.errors = errors;
    }

    /** A handshake between its first message and its end. Holds no reference to the JDK objects. */
    private static final class InFlight {
        static final int MAX_MESSAGES = 32;

        final long startNanos;
        private final AtomicBoolean ended = new AtomicBoolean();
        private final List<HandshakeMessage> messages = new ArrayList<>();
        final Captured captured = new Captured();

        InFlight(long startNanos) {
            this.startNanos = startNanos;
        }

        /** Adds a message to the timeline; a handshake never has more than a few, so more is ignored. */
        synchronized void message(int type, boolean outbound, long nanoTime) {
            if (messages.size() < MAX_MESSAGES) {
                messages.add(new HandshakeMessage(HandshakeMessage.typeName(type), outbound,
                        Math.max(0, nanoTime - startNanos) / 1000));
            }
        }

        synchronized List<HandshakeMessage> messages() {
            return List.copyOf(messages);
        }

        /** True for the first caller only: the one that reports this handshake. */
        boolean end() {
            return ended.compareAndSet(false, true);
        }
    }

    public int inFlightCount() {
        return inFlight.size();
    }

    public void inboundMessage(Object handshakeContext, byte type, Object plaintext, long nanoTime) {
        try {
            InFlight flight = started(handshakeContext, type & 0xFF, false, nanoTime);
            if (flight != null && Captured.interesting(type & 0xFF, false)) {
                java.nio.ByteBuffer body = jsse.body(plaintext);
                if (body != null) {
                    flight.captured.keep(type & 0xFF, false, body);
                }
            }
        } catch (Throwable t) {
            errors.record("inbound message hook", t);
        }
    }

    public void outboundMessage(Object handshakeMessage, Object handshakeOutStream, long nanoTime) {
        try {
            Object hc = jsse.get(jsse.messageContext, handshakeMessage);
            Object record = jsse.get(jsse.outStreamRecord, handshakeOutStream);
            Object tc = jsse.get(jsse.hcConContext, hc);
            // Only what goes to the wire: PSK binders are computed by writing a partial ClientHello elsewhere.
            if (record != null && record == jsse.get(jsse.tcOutputRecord, tc)) {
                int type = jsse.messageType(handshakeMessage);
                InFlight flight = started(hc, type, true, nanoTime);
                if (flight != null && Captured.interesting(type, true)) {
                    java.nio.ByteBuffer body = jsse.serialize(handshakeMessage);
                    if (body != null) {
                        flight.captured.keep(type, true, body);
                    }
                } else if (flight != null && (type == 12 || type == 15)) {
                    flight.captured.localSignatureScheme = jsse.signatureScheme(handshakeMessage);
                }
            }
        } catch (Throwable t) {
            errors.record("outbound message hook", t);
        }
    }

    private InFlight started(Object handshakeContext, int type, boolean outbound, long nanoTime) {
        if (handshakeContext == null || jsse.isPostHandshake(handshakeContext)) {
            return null;
        }
        InFlight flight = inFlight.computeIfAbsent(handshakeContext, () -> new InFlight(nanoTime));
        if (flight != null) {
            flight.message(type, outbound, nanoTime);
        }
        return flight;
    }

    void trustCheckStarted(Object handshakeContext, long nanoTime) {
        try {
            InFlight flight = inFlight.get(handshakeContext);
            if (flight != null) {
                flight.captured.trustStarted(nanoTime);
            }
        } catch (Throwable t) {
            errors.record("trust check hook", t);
        }
    }

    void trustCheckEnded(Object handshakeContext, Throwable failure, long nanoTime) {
        try {
            InFlight flight = inFlight.get(handshakeContext);
            if (flight != null) {
                flight.captured.trustEnded(failure != null, nanoTime);
            }
        } catch (Throwable t) {
            errors.record("trust check hook", t);
        }
    }

    public void handshakeFinished(Object transportContext, long nanoTime) {
        try {
            Object hc = jsse.get(jsse.tcHandshakeContext, transportContext);
            InFlight flight = hc == null ? null : inFlight.remove(hc);
            if (flight != null && !flight.end()) {
                return;
            }
            HandshakeRecord.Builder record = common(transportContext, hc, flight, nanoTime);
            Object session = jsse.get(jsse.tcConSession, transportContext);
            String protocol = negotiated(record, hc, session);
            boolean resumed = jsse.getBoolean(jsse.hcIsResumption, hc);
            record.resumed(resumed).resumption(resumption(hc, resumed, protocol, isClient(transportContext)));
            record.applicationProtocol(applicationProtocol(transportContext, hc));
            record.namedGroup(jsse.namedGroup(hc));
            record.peerCertificate(SessionDetails.peerCertificate(session));
            record.anatomy(anatomy(flight, session, protocol, record, transportContext));
            exporters.publish(record.build());
        } catch (Throwable t) {
            errors.record("handshake finish hook", t);
        }
    }

    public void fatal(Object transportContext, Object alert, String diagnostic, boolean alertReceived,
            Throwable cause, long nanoTime) {
        try {
            if (jsse.get(jsse.tcCloseReason, transportContext) != null) {
                return; // the connection already failed; this is the JDK rethrowing
            }
            Object hc = jsse.get(jsse.tcHandshakeContext, transportContext);
            if (hc == null ? jsse.getBoolean(jsse.tcIsNegotiated, transportContext) : jsse.isPostHandshake(hc)) {
                return; // failing after the handshake: not a handshake failure
            }
            InFlight flight = inFlight.get(hc != null ? hc : transportContext);
            if (flight != null && !flight.end()) {
                return;
            }
            String alertName = jsse.name(jsse.alertDescription, alert);
            HandshakeRecord.Builder record = common(transportContext, hc, flight, nanoTime);
            String protocol = negotiated(record, hc, null);
            if (flight != null) {
                flight.captured.trustEnded(true, nanoTime); // a rejected chain fails inside the trust check
            }
            record.anatomy(anatomy(flight, null, protocol, record, transportContext));
            record.resumption(Resumption.NONE)
                    .error(ErrorClassifier.classify(alertName, cause))
                    .alert(alertName)
                    .alertReceived(alertReceived)
                    .errorMessage(diagnostic != null ? diagnostic : cause != null ? cause.getMessage() : null);
            exporters.publish(record.build());
        } catch (Throwable t) {
            errors.record("handshake failure hook", t);
        }
    }

    public void engineInboundClosed(Object engine, long nanoTime) {
        try {
            Object tc = jsse.get(jsse.engineConContext, engine);
            if (tc == null || jsse.get(jsse.tcCloseReason, tc) != null
                    || jsse.getBoolean(jsse.tcIsInputCloseNotified, tc)) {
                return;
            }
            Object hc = jsse.get(jsse.tcHandshakeContext, tc);
            if (hc == null || jsse.isPostHandshake(hc)) {
                return;
            }
            InFlight flight = inFlight.get(hc);
            if (flight == null || !flight.end()) {
                return; // nothing was exchanged yet, or already reported
            }
            HandshakeRecord.Builder record = common(tc, hc, flight, nanoTime);
            String protocol = negotiated(record, hc, null);
            record.anatomy(anatomy(flight, null, protocol, record, tc));
            record.resumption(Resumption.NONE)
                    .error(ErrorType.PEER_CLOSED)
                    .errorMessage("inbound closed before the handshake finished");
            exporters.publish(record.build());
        } catch (Throwable t) {
            errors.record("engine close hook", t);
        }
    }

    /** The handshake's anatomy; never lets a parsing problem cost the record itself. */
    private HandshakeAnatomy anatomy(InFlight flight, Object session, String protocol, HandshakeRecord.Builder record,
            Object tc) {
        if (flight == null) {
            return null;
        }
        try {
            return anatomy.assemble(flight.captured, session, protocol, record.cipherSuite(), isClient(tc));
        } catch (Throwable t) {
            errors.record("handshake anatomy", t);
            return null;
        }
    }

    private boolean isClient(Object tc) {
        return jsse.getBoolean(jsse.configIsClientMode, jsse.get(jsse.tcSslConfig, tc));
    }

    private HandshakeRecord.Builder common(Object tc, Object hc, InFlight flight, long nanoTime) {
        boolean client = isClient(tc);
        Object transport = jsse.get(jsse.tcTransport, tc);
        HandshakeRecord.Builder record = HandshakeRecord.builder()
                .timestamp(Instant.now())
                .role(client ? Role.CLIENT : Role.SERVER)
                .api(transport instanceof SSLEngine ? Api.SSL_ENGINE : Api.SSL_SOCKET)
                .provider(PROVIDER)
                .durationNanos(flight != null ? nanoTime - flight.startNanos : -1)
                .messages(flight != null ? flight.messages() : List.of())
                .serverName(SessionDetails.serverName(jsse.get(jsse.hcRequestedServerNames, hc)))
                .threadName(Thread.currentThread().getName());
        SessionDetails.addresses(record, transport);
        return record;
    }

    /**
     * Version and suite from the handshake; from the session's public API if the internals do not tell.
     * Returns the version.
     */
    private String negotiated(HandshakeRecord.Builder record, Object hc, Object session) {
        String protocol = jsse.name(jsse.protocolVersionName, jsse.get(jsse.hcNegotiatedProtocol, hc));
        String suite = jsse.name(jsse.cipherSuiteName, jsse.get(jsse.hcNegotiatedCipherSuite, hc));
        if (session instanceof SSLSession) {
            if (protocol == null) {
                protocol = ((SSLSession) session).getProtocol();
            }
            if (suite == null) {
                suite = ((SSLSession) session).getCipherSuite();
            }
        }
        String negotiated = SessionDetails.negotiated(protocol);
        record.protocol(negotiated).cipherSuite(SessionDetails.negotiated(suite));
        return negotiated;
    }

    private Resumption resumption(Object hc, boolean resumed, String protocol, boolean client) {
        if (!resumed) {
            return Resumption.NONE;
        }
        if ("TLSv1.3".equals(protocol)) {
            return Resumption.PSK;
        }
        if (client) {
            return jsse.ticketOffered(jsse.get(jsse.hcResumingSession, hc)) ? Resumption.TICKET
                    : Resumption.SESSION_ID;
        }
        // TLS 1.2 server in ticket mode never consults its session-ID cache (JDK 11 has no tickets at all).
        return jsse.getBoolean(jsse.hcStatelessResumption, hc) ? Resumption.TICKET : Resumption.SESSION_ID;
    }

    private String applicationProtocol(Object tc, Object hc) {
        Object alpn = jsse.get(jsse.hcApplicationProtocol, hc);
        if (!(alpn instanceof String) || ((String) alpn).isEmpty()) {
            alpn = jsse.get(jsse.tcApplicationProtocol, tc);
        }
        return alpn instanceof String && !((String) alpn).isEmpty() ? (String) alpn : null;
    }
}
