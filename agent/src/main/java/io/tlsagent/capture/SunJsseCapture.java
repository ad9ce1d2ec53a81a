package io.tlsagent.capture;

import static io.tlsagent.capture.SunJsse.get;
import static io.tlsagent.capture.SunJsse.is;
import static io.tlsagent.capture.SunJsse.name;

import io.tlsagent.bootstrap.SunJsseEvents;
import io.tlsagent.record.Api;
import io.tlsagent.record.ErrorType;
import io.tlsagent.record.HandshakeCapture;
import io.tlsagent.record.HandshakeRecord;
import io.tlsagent.record.HandshakeType;
import io.tlsagent.record.Resumption;
import io.tlsagent.record.Role;
import io.tlsagent.util.AgentErrors;
import io.tlsagent.util.AgentLog;
import io.tlsagent.util.OwnConnections;
import io.tlsagent.util.WeakIdentityMap;
import java.nio.ByteBuffer;
import java.util.List;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;

/**
 * Turns what the SunJSSE hooks report into exactly one {@link HandshakeRecord} per handshake and side.
 *
 * <p>A handshake is keyed by its {@code HandshakeContext} (a renegotiation gets a new one). Its clock starts at
 * the first handshake message this side sends or receives, so a server never counts time spent waiting for the
 * client. It ends at {@code finishHandshake} (success, called once per handshake), at the first {@code fatal}
 * of the connection, or when an engine's application closes the inbound side mid-handshake. Handshakes that
 * are simply dropped vanish with their weakly held context.
 *
 * <p>On the handshake's thread only what must be read while SunJSSE's objects are live is taken: the negotiated
 * values, copies of the kept messages' bytes (an outgoing hello as SunJSSE wrote it, not serialized again),
 * references to the session's certificates. The record carries them raw ({@link HandshakeCapture}); the export
 * thread makes the anatomy.
 */
final class SunJsseCapture extends SunJsseEvents {

    private static final String PROVIDER = "SunJSSE";
    private static final int MAX_IN_FLIGHT = 100_000;

    private final HandshakeOutput output;
    private final AgentErrors errors;
    private final ConnectionBindings bindings;
    private final WeakIdentityMap<SunJsseHandshake> inFlight = new WeakIdentityMap<>(MAX_IN_FLIGHT);
    /**
     * Per thread, the outgoing hello being written: {handshake, its HandshakeOutStream, its type}, from
     * {@code write}'s entry to the stream's {@code complete()} on the same thread, where SunJSSE holds its bytes.
     * JDK types only, and emptied at once, so a thread keeps nothing of a finished handshake or of the agent.
     */
    private final ThreadLocal<Object[]> outgoingHello = ThreadLocal.withInitial(() -> new Object[3]);

    SunJsseCapture(HandshakeOutput output, AgentErrors errors, ConnectionBindings bindings) {
        this.output = output;
        this.errors = errors;
        this.bindings = bindings;
    }

    /** Whether this JDK's SunJSSE is as the deep hooks need (read from its class files); if not, says so once. */
    static boolean usable() {
        if (!SunJsseShape.usable()) {
            AgentLog.once("this JDK's SunJSSE is not as expected; its handshakes are recorded through the public"
                    + " API only (no resumption kind, group or failure alerts), TLS is unaffected");
            return false;
        }
        return true;
    }

    /**
     * The agent's own HTTPS endpoint and OTLP push shake hands too; those handshakes are not the application's. The
     * endpoint's run on the agent's threads; the push's on the JDK HTTP client's, so its engines are marked.
     */
    private static boolean ours(Object transportContext) {
        return Thread.currentThread().getName().startsWith("tls-agent-")
                || OwnConnections.contains(get(SunJsse.TC_TRANSPORT, transportContext));
    }

    int inFlightCount() {
        return inFlight.size();
    }

    @Override
    public void inboundMessage(Object handshakeContext, byte type, Object plaintext, long nanoTime) {
        try {
            HandshakeType known = HandshakeType.of(type & 0xFF);
            SunJsseHandshake state = started(handshakeContext, type & 0xFF, false, nanoTime);
            if (state != null && known != null && SunJsseHandshake.kept(known, false)) {
                ByteBuffer body = SunJsse.body(plaintext);
                if (body != null) {
                    state.keep(known, false, body);
                }
            }
        } catch (Throwable t) {
            errors.record("inbound message hook", t);
        }
    }

    @Override
    public void outboundMessage(Object handshakeMessage, Object handshakeOutStream, long nanoTime) {
        try {
            Object hc = get(SunJsse.MESSAGE_CONTEXT, handshakeMessage);
            int code = SunJsse.messageType(handshakeMessage);
            HandshakeType type = HandshakeType.of(code);
            // Only what goes to the wire: SunJSSE writes hellos into streams of their own (no output record) to
            // compute TLS 1.3 PSK binders and transcript hashes after a HelloRetryRequest; those are not sent.
            boolean wireCheck = type == HandshakeType.CLIENT_HELLO || type == HandshakeType.SERVER_HELLO;
            if (wireCheck && (get(SunJsse.OUT_STREAM_RECORD, handshakeOutStream) == null
                    || get(SunJsse.OUT_STREAM_RECORD, handshakeOutStream)
                            != get(SunJsse.TC_OUTPUT_RECORD, get(SunJsse.HC_CON_CONTEXT, hc)))) {
                return;
            }
            SunJsseHandshake state = started(hc, code, true, nanoTime);
            if (state == null || type == null) {
                return;
            }
            if (type == HandshakeType.CLIENT_HELLO && !state.traceRead()) {
                state.trace(CurrentSpan.forHandshake(get(SunJsse.TC_TRANSPORT, get(SunJsse.HC_CON_CONTEXT, hc))));
            }
            if (SunJsseHandshake.kept(type, true)) {
                Object[] hello = outgoingHello.get();
                hello[0] = state;
                hello[1] = handshakeOutStream;
                hello[2] = type;
            } else if (type == HandshakeType.SERVER_KEY_EXCHANGE || type == HandshakeType.CERTIFICATE_VERIFY) {
                state.localSignatureScheme(SunJsse.signatureScheme(handshakeMessage));
            }
        } catch (Throwable t) {
            errors.record("outbound message hook", t);
        }
    }

    @Override
    public void outboundMessageComplete(Object handshakeOutStream, byte[] buffer, int length) {
        try {
            Object[] hello = outgoingHello.get();
            if (hello[1] != handshakeOutStream || hello[1] == null) {
                return;
            }
            SunJsseHandshake state = (SunJsseHandshake) hello[0];
            HandshakeType type = (HandshakeType) hello[2];
            hello[0] = null;
            hello[1] = null;
            hello[2] = null;
            // The stream holds the whole message: its 4-byte header (type, length), then the body.
            if (buffer != null && length >= 4 && length <= buffer.length && (buffer[0] & 0xFF) == type.code()) {
                state.keep(type, true, ByteBuffer.wrap(buffer, 4, length - 4));
            }
        } catch (Throwable t) {
            errors.record("outbound message hook", t);
        }
    }

    private SunJsseHandshake started(Object handshakeContext, int type, boolean outbound, long nanoTime) {
        if (handshakeContext == null || SunJsse.isPostHandshake(handshakeContext)) {
            return null;
        }
        SunJsseHandshake state = inFlight.get(handshakeContext);
        if (state == null) {
            state = inFlight.computeIfAbsent(handshakeContext, () -> {
                Object span = output.begin();
                // With a JFR event, the record's clock starts with the event's: both say the same start and duration.
                return new SunJsseHandshake(span != null ? System.nanoTime() : nanoTime, span);
            });
        }
        if (state != null) {
            state.message(type, outbound, nanoTime);
        }
        return state;
    }

    @Override
    public void trustCheckStarted(Object handshakeContext, long nanoTime) {
        try {
            SunJsseHandshake state = inFlight.get(handshakeContext);
            if (state != null) {
                state.trustStarted(nanoTime);
            }
        } catch (Throwable t) {
            errors.record("trust check hook", t);
        }
    }

    @Override
    public void trustCheckEnded(Object handshakeContext, Throwable failure, long nanoTime) {
        try {
            SunJsseHandshake state = inFlight.get(handshakeContext);
            if (state != null) {
                state.trustEnded(failure != null, nanoTime);
            }
        } catch (Throwable t) {
            errors.record("trust check hook", t);
        }
    }

    @Override
    public void handshakeFinished(Object transportContext, long nanoTime) {
        if (ours(transportContext)) {
            return;
        }
        try {
            Object hc = get(SunJsse.TC_HANDSHAKE_CONTEXT, transportContext);
            SunJsseHandshake state = hc == null ? null : inFlight.remove(hc);
            if (state != null && !state.end()) {
                return;
            }
            Object span = span(state);
            long end = output.end(span, nanoTime);
            Object session = get(SunJsse.TC_CON_SESSION, transportContext);
            HandshakeRecord.Builder record = common(transportContext, hc, state, session, end);
            boolean resumed = is(SunJsse.HC_IS_RESUMPTION, hc);
            record.resumed(resumed)
                    .resumption(resumption(hc, resumed, record.protocol(), record.role() == Role.CLIENT))
                    .applicationProtocol(applicationProtocol(transportContext, hc))
                    .namedGroup(SunJsse.namedGroup(hc));
            output.finished(span, record.build());
        } catch (Throwable t) {
            errors.record("handshake finish hook", t);
        }
    }

    @Override
    public void fatal(Object transportContext, Object alert, String diagnostic, boolean alertReceived,
            Throwable cause, long nanoTime) {
        if (ours(transportContext)) {
            return;
        }
        try {
            if (get(SunJsse.TC_CLOSE_REASON, transportContext) != null) {
                return; // the connection already failed; this is the JDK rethrowing
            }
            Object hc = get(SunJsse.TC_HANDSHAKE_CONTEXT, transportContext);
            if (hc == null ? is(SunJsse.TC_IS_NEGOTIATED, transportContext) : SunJsse.isPostHandshake(hc)) {
                return; // failing after the handshake: not a handshake failure
            }
            SunJsseHandshake state = inFlight.get(hc != null ? hc : transportContext);
            if (state != null && !state.end()) {
                return;
            }
            if (state != null) {
                state.trustEnded(true, nanoTime); // a rejected chain fails inside the trust check
            }
            Object span = span(state);
            long end = output.end(span, nanoTime);
            String alertName = name(SunJsse.ALERT_DESCRIPTION, alert);
            output.finished(span, common(transportContext, hc, state, null, end)
                    .resumption(Resumption.NONE)
                    .error(ErrorClassifier.classify(alertName, cause))
                    .alert(alertName)
                    .alertReceived(alertReceived)
                    .errorMessage(diagnostic != null ? diagnostic : cause != null ? cause.getMessage() : null)
                    .build());
        } catch (Throwable t) {
            errors.record("handshake failure hook", t);
        }
    }

    @Override
    public void engineInboundClosed(Object engine, long nanoTime) {
        if (OwnConnections.contains(engine)) {
            return;
        }
        try {
            Object tc = get(SunJsse.ENGINE_CON_CONTEXT, engine);
            if (tc == null || get(SunJsse.TC_CLOSE_REASON, tc) != null
                    || is(SunJsse.TC_IS_INPUT_CLOSE_NOTIFIED, tc)) {
                return;
            }
            Object hc = get(SunJsse.TC_HANDSHAKE_CONTEXT, tc);
            if (hc == null || SunJsse.isPostHandshake(hc)) {
                return;
            }
            SunJsseHandshake state = inFlight.get(hc);
            if (state == null || !state.end()) {
                return; // nothing was exchanged yet, or already reported
            }
            Object span = span(state);
            output.finished(span, common(tc, hc, state, null, output.end(span, nanoTime))
                    .resumption(Resumption.NONE)
                    .error(ErrorType.PEER_CLOSED)
                    .errorMessage("inbound closed before the handshake finished")
                    .build());
        } catch (Throwable t) {
            errors.record("engine close hook", t);
        }
    }

    /** The handshake's span (its JFR event), or null. */
    private static Object span(SunJsseHandshake state) {
        return state != null ? state.span : null;
    }

    /**
     * What every record of a SunJSSE handshake has, successful or not: the connection, the negotiated version and
     * suite, the timeline and the raw capture. {@code session} is the established session (null for a failure).
     */
    private HandshakeRecord.Builder common(Object tc, Object hc, SunJsseHandshake state, Object session,
            long nanoTime) {
        boolean client = SunJsse.isClient(tc);
        Object transport = get(SunJsse.TC_TRANSPORT, tc);
        HandshakeRecord.Builder record = HandshakeRecord.builder()
                .timestamp(SessionDetails.endedAt(nanoTime))
                .role(client ? Role.CLIENT : Role.SERVER)
                .api(transport instanceof SSLEngine ? Api.SSL_ENGINE : Api.SSL_SOCKET)
                .provider(PROVIDER)
                .durationNanos(state != null ? nanoTime - state.startNanos : -1)
                .messages(state != null ? state.messages() : List.of())
                .serverName(SessionDetails.serverName(get(SunJsse.HC_REQUESTED_SERVER_NAMES, hc)))
                .trace(state != null ? state.trace() : null)
                .threadName(Thread.currentThread().getName());
        String socketPeerHost = transport instanceof SSLSocket ? name(SunJsse.SOCKET_PEER_HOST, transport) : null;
        SessionDetails.addresses(record, transport, client, socketPeerHost, bindings);
        negotiated(record, hc, session);
        if (state != null || session != null) {
            record.capture((state != null ? state.captured() : HandshakeCapture.builder())
                    .sessionPeerCertificates(SunJsse.certificates(SunJsse.SESSION_PEER_CERTS, session))
                    .localCertificates(SunJsse.certificates(SunJsse.SESSION_LOCAL_CERTS, session))
                    .build());
        }
        return record;
    }

    /** Version and suite from the handshake; from the session's public API if the internals do not tell. */
    private static void negotiated(HandshakeRecord.Builder record, Object hc, Object session) {
        String protocol = name(SunJsse.PROTOCOL_VERSION_NAME, get(SunJsse.HC_NEGOTIATED_PROTOCOL, hc));
        String suite = name(SunJsse.CIPHER_SUITE_NAME, get(SunJsse.HC_NEGOTIATED_CIPHER_SUITE, hc));
        if (session instanceof SSLSession) {
            if (protocol == null) {
                protocol = ((SSLSession) session).getProtocol();
            }
            if (suite == null) {
                suite = ((SSLSession) session).getCipherSuite();
            }
        }
        record.protocol(SessionDetails.negotiated(protocol)).cipherSuite(SessionDetails.negotiated(suite));
    }

    private static Resumption resumption(Object hc, boolean resumed, String protocol, boolean client) {
        if (!resumed) {
            return Resumption.NONE;
        }
        if ("TLSv1.3".equals(protocol)) {
            return Resumption.PSK;
        }
        if (client) {
            return SunJsse.ticketOffered(get(SunJsse.HC_RESUMING_SESSION, hc)) ? Resumption.TICKET
                    : Resumption.SESSION_ID;
        }
        // TLS 1.2 server in ticket mode never consults its session-ID cache (JDK 11 has no tickets at all).
        return is(SunJsse.HC_STATELESS_RESUMPTION, hc) ? Resumption.TICKET : Resumption.SESSION_ID;
    }

    private static String applicationProtocol(Object tc, Object hc) {
        Object alpn = get(SunJsse.HC_APPLICATION_PROTOCOL, hc);
        if (!(alpn instanceof String) || ((String) alpn).isEmpty()) {
            alpn = get(SunJsse.TC_APPLICATION_PROTOCOL, tc);
        }
        return alpn instanceof String && !((String) alpn).isEmpty() ? (String) alpn : null;
    }
}
