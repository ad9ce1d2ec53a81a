package io.tlsagent.capture;

import io.tlsagent.bootstrap.PublicApiEvents;
import io.tlsagent.record.Api;
import io.tlsagent.record.HandshakeCapture;
import io.tlsagent.record.HandshakeRecord;
import io.tlsagent.record.Resumption;
import io.tlsagent.record.Role;
import io.tlsagent.record.TraceContext;
import io.tlsagent.util.AgentErrors;
import io.tlsagent.util.OwnConnections;
import io.tlsagent.util.WeakIdentityMap;
import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;

/**
 * Records handshakes of TLS implementations other than SunJSSE (Netty's OpenSSL engine, Conscrypt, Bouncy Castle
 * JSSE, ...) from what the public API shows. Engines differ in how often they report FINISHED, so each engine's
 * handshake is reported once: it starts at the first handshaking status and ends at the first FINISHED or
 * exception after it. The handshake's plaintext messages come from the bytes its wrap and unwrap calls produced
 * and consumed ({@link WireHandshake}): the hellos, so the anatomy and the key-exchange group, as for SunJSSE.
 * What neither tells (resumption where the engine has no {@code isSessionReused()}) is left absent.
 *
 * <p>Only the classes {@link ProviderClasses} hooked report here; wrappers are never among them.
 */
final class PublicApiCapture extends PublicApiEvents {

    private static final int MAX_TRACKED = 100_000;

    private final HandshakeOutput output;
    private final AgentErrors errors;
    private final Consumer<Object> objectCreated;
    private final ConnectionBindings bindings;
    private final LongAdder wireUnread = new LongAdder();
    private final WeakIdentityMap<EngineHandshake> engines = new WeakIdentityMap<>(MAX_TRACKED);
    private final WeakIdentityMap<SocketHandshakes> sockets = new WeakIdentityMap<>(MAX_TRACKED);
    /**
     * Per thread, how many hooked {@code startHandshake()} calls are running: an engine-based socket (Conscrypt's)
     * drives an engine inside, whose events are then the socket's handshake, not a second one.
     */
    private final ThreadLocal<int[]> socketDepth = ThreadLocal.withInitial(() -> new int[1]);
    /** Per thread, whether the socket hook itself runs (it asks for the session, which may handshake again). */
    private final ThreadLocal<boolean[]> inSocketHook = ThreadLocal.withInitial(() -> new boolean[1]);
    /** Per thread, the span of the outermost hooked {@code startHandshake()} running. */
    private final ThreadLocal<Object[]> socketSpan = ThreadLocal.withInitial(() -> new Object[1]);
    /** Per thread, the wire of the outermost hooked {@code startHandshake()} running (made at its first bytes). */
    private final ThreadLocal<WireHandshake[]> socketWire = ThreadLocal.withInitial(() -> new WireHandshake[1]);

    /** A public {@code boolean isSessionReused()}, as Netty's OpenSSL engine has; null when there is none. */
    private static final ClassValue<Method> SESSION_REUSED = new ClassValue<Method>() {
        @Override
        protected Method computeValue(Class<?> type) {
            for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
                try {
                    Method m = c.getDeclaredMethod("isSessionReused");
                    if (m.getReturnType() == boolean.class) {
                        m.setAccessible(true); // package-private in Netty 4.2
                        return m;
                    }
                } catch (NoSuchMethodException | RuntimeException e) {
                    // next
                }
            }
            return null;
        }
    };

    PublicApiCapture(HandshakeOutput output, AgentErrors errors, Consumer<Object> objectCreated,
            ConnectionBindings bindings) {
        this.output = output;
        this.errors = errors;
        this.objectCreated = objectCreated;
        this.bindings = bindings;
    }

    @Override
    public void tlsObjectCreated(Object engineOrSocket) {
        try {
            CurrentSpan.created(engineOrSocket);
            objectCreated.accept(engineOrSocket);
        } catch (Throwable t) {
            errors.record("hooking the class of " + engineOrSocket.getClass().getName(), t);
        }
    }

    /** Handshakes whose wire was not read to its end ({@link WireHandshake#readWhole}), since the start. */
    long wireUnread() {
        return wireUnread.sum();
    }

    int trackedCount() {
        return engines.size() + sockets.size();
    }

    /** One engine's current handshake. */
    private static final class EngineHandshake {
        long startNanos = -1;
        boolean inProgress;
        boolean reported;
        TraceContext trace;
        Object span;
        WireHandshake wire;
    }

    /**
     * What one socket last reported: its session's identity at its last success (identity only: no reference that
     * could keep a provider's session, and what it holds, alive), or that it failed.
     */
    private static final class SocketHandshakes {
        int lastSession;
        boolean failed;
    }

    @Override
    public void engineResult(SSLEngine engine, SSLEngineResult result, boolean wrap, ByteBuffer buffer,
            long nanoTime) {
        try {
            int count = wrap ? result.bytesProduced() : result.bytesConsumed();
            WireHandshake wire = wire(engine, result.getHandshakeStatus(), nanoTime);
            if (wire != null && count > 0) {
                wire.read(result, wrap, buffer, count, nanoTime);
            }
            finishedIf(engine, result.getHandshakeStatus(), nanoTime);
        } catch (Throwable t) {
            errors.record("engine handshake hook", t);
        }
    }

    @Override
    public void engineUnwrapped(SSLEngine engine, SSLEngineResult result, ByteBuffer[] srcs, int offset, int length,
            int position0, int position1, int position2, int position3, long nanoTime) {
        try {
            int count = result.bytesConsumed();
            WireHandshake wire = wire(engine, result.getHandshakeStatus(), nanoTime);
            if (wire != null && count > 0) {
                wire.readUnwrapped(result, srcs, offset, length, position0, position1, position2, position3, count,
                        nanoTime);
            }
            finishedIf(engine, result.getHandshakeStatus(), nanoTime);
        } catch (Throwable t) {
            errors.record("engine handshake hook", t);
        }
    }

    /**
     * Where this call's bytes go: the handshake of the hooked socket whose {@code startHandshake()} runs on this
     * thread (its engine inside is that socket's, not a handshake of its own), else the engine's own handshake,
     * begun at its first handshaking status; null when none is in progress.
     */
    private WireHandshake wire(SSLEngine engine, HandshakeStatus status, long nanoTime) {
        if (socketDepth.get()[0] > 0) {
            WireHandshake[] socket = socketWire.get();
            if (socket[0] == null) {
                socket[0] = new WireHandshake(nanoTime);
            }
            return socket[0];
        }
        EngineHandshake h = engines.computeIfAbsent(engine, EngineHandshake::new);
        if (h == null) {
            return null;
        }
        synchronized (h) {
            if (status != HandshakeStatus.FINISHED && !h.inProgress) {
                h.inProgress = true;
                h.reported = false;
                h.trace = engine.getUseClientMode() ? CurrentSpan.forHandshake(engine) : null;
                h.span = output.begin();
                h.startNanos = h.span != null ? System.nanoTime() : nanoTime; // as the JFR event's
                h.wire = new WireHandshake(h.startNanos);
            }
            return h.inProgress ? h.wire : null;
        }
    }

    /** Reports the engine's handshake at its (first) FINISHED. */
    private void finishedIf(SSLEngine engine, HandshakeStatus status, long nanoTime) {
        if (status != HandshakeStatus.FINISHED || socketDepth.get()[0] > 0) {
            return;
        }
        EngineHandshake h = engines.get(engine);
        if (h == null) {
            return;
        }
        report(engine, h, nanoTime, null);
    }

    @Override
    public void engineFailed(SSLEngine engine, Throwable failure, long nanoTime) {
        if (socketDepth.get()[0] > 0) {
            return;
        }
        try {
            EngineHandshake h = engines.get(engine);
            if (h == null) {
                if (established(engine.getSession())) {
                    return; // failing after a handshake we did not see (attached later): not a handshake failure
                }
                h = engines.computeIfAbsent(engine, EngineHandshake::new);
                if (h == null) {
                    return;
                }
            }
            report(engine, h, nanoTime, failure);
        } catch (Throwable t) {
            errors.record("engine failure hook", t);
        }
    }

    /**
     * Reports the engine's handshake, once: its success ({@code failure} null) or failure; nothing when it was
     * reported already (a repeated FINISHED, or an exception after the handshake).
     */
    private void report(SSLEngine engine, EngineHandshake h, long nanoTime, Throwable failure) {
        long duration;
        long end;
        TraceContext trace;
        Object span;
        WireHandshake wire;
        synchronized (h) {
            if (h.reported || (!h.inProgress && h.startNanos >= 0)) {
                return;
            }
            span = h.span;
            wire = h.wire;
            end = output.end(span, nanoTime);
            duration = h.inProgress ? end - h.startNanos : -1;
            trace = h.trace;
            h.inProgress = false;
            h.reported = true;
            h.span = null; // the record's now
            h.wire = null;
        }
        if (OwnConnections.contains(engine)) {
            return;
        }
        boolean client = engine.getUseClientMode();
        HandshakeRecord.Builder record = failure == null
                ? success(engine, Api.SSL_ENGINE, client, engine.getSession(), duration, wire)
                : failure(engine, Api.SSL_ENGINE, client, failure, duration, wire);
        SessionDetails.addresses(record, engine, client, null, bindings);
        countUnread(wire);
        output.finished(span, record.trace(trace).timestamp(SessionDetails.endedAt(end)).build());
    }

    private void countUnread(WireHandshake wire) {
        if (wire != null && !wire.readWhole()) {
            wireUnread.increment();
        }
    }


    @Override
    public void socketHandshakeEntered() {
        if (socketDepth.get()[0]++ == 0) {
            socketSpan.get()[0] = output.begin();
            socketWire.get()[0] = null;
        }
    }

    @Override
    public void socketHandshakeExited(SSLSocket socket, long startNanos, Throwable failure, long nanoTime) {
        int[] depth = socketDepth.get();
        if (depth[0] > 0) {
            depth[0]--; // not when the agent started between this socket's enter and exit
        }
        Object span = null;
        WireHandshake wire = null;
        long end = nanoTime;
        if (depth[0] == 0) {
            Object[] outermost = socketSpan.get();
            span = outermost[0];
            outermost[0] = null;
            WireHandshake[] outermostWire = socketWire.get();
            wire = outermostWire[0];
            outermostWire[0] = null;
            end = output.end(span, nanoTime);
        }
        boolean[] inHook = inSocketHook.get();
        if (inHook[0]) {
            return;
        }
        inHook[0] = true;
        try {
            socketHandshake(socket, startNanos, failure, end, span, wire);
        } finally {
            inHook[0] = false;
        }
    }

    private void socketHandshake(SSLSocket socket, long startNanos, Throwable failure, long nanoTime,
            Object span, WireHandshake wire) {
        try {
            SocketHandshakes last = sockets.computeIfAbsent(socket, SocketHandshakes::new);
            if (last == null) {
                return;
            }
            boolean client = socket.getUseClientMode();
            String peerHost = null;
            HandshakeRecord.Builder record;
            if (failure != null) {
                synchronized (last) {
                    if (last.failed) {
                        return; // this socket's failure is already reported
                    }
                    last.failed = true;
                }
                record = failure(socket, Api.SSL_SOCKET, client, failure, nanoTime - startNanos, wire);
            } else {
                SSLSession session = socket.getSession();
                int id = System.identityHashCode(session);
                synchronized (last) {
                    if (last.lastSession == id) {
                        return; // startHandshake() again on an established connection
                    }
                    last.lastSession = id;
                }
                record = success(socket, Api.SSL_SOCKET, client, session, nanoTime - startNanos, wire);
                peerHost = optional(session::getPeerHost);
            }
            if (OwnConnections.contains(socket)) {
                return;
            }
            SessionDetails.addresses(record, socket, client, peerHost, bindings);
            countUnread(wire);
            // startHandshake() ran on this thread: the span current here is the one that started it.
            output.finished(span, record.trace(client ? CurrentSpan.forHandshake(socket) : null)
                    .timestamp(SessionDetails.endedAt(nanoTime)).build());
        } catch (Throwable t) {
            errors.record("socket handshake hook", t);
        }
    }

    /**
     * {@code wire}: the plaintext handshake read from the engine's bytes (null where none passed an engine, as in
     * a Bouncy Castle socket): the anatomy and, on the export thread, the group come from it.
     */
    private static HandshakeRecord.Builder success(Object transport, Api api, boolean client, SSLSession session,
            long duration, WireHandshake wire) {
        String protocol = SessionDetails.negotiated(session.getProtocol());
        String suite = SessionDetails.negotiated(session.getCipherSuite());
        Boolean resumed = sessionReused(transport);
        if (resumed == null && wire != null) {
            resumed = wire.resumed(suite != null && !suite.contains("_PSK_") && !suite.contains("_anon_"));
        }
        return common(transport, api, client, duration)
                .protocol(protocol)
                .cipherSuite(suite)
                .namedGroup(wire != null ? wire.group(suite != null && suite.contains("_ECDHE_")) : null)
                .resumed(resumed)
                .resumption(resumption(resumed, protocol))
                .applicationProtocol(optional(() -> applicationProtocol(transport)))
                .serverName(optional(() -> session instanceof ExtendedSSLSession
                        ? SessionDetails.serverName(((ExtendedSSLSession) session).getRequestedServerNames()) : null))
                .messages(wire != null ? wire.messages() : List.of())
                .capture(captured(wire).sessionPeerCertificates(SessionDetails.peerCertificates(session)).build());
    }

    private static HandshakeRecord.Builder failure(Object transport, Api api, boolean client, Throwable failure,
            long duration, WireHandshake wire) {
        String alert = wire != null ? wire.alertName() : null;
        return common(transport, api, client, duration)
                .resumption(Resumption.NONE)
                .error(ErrorClassifier.classify(alert, failure))
                .alert(alert)
                .alertReceived(alert != null && wire.alertReceived())
                .errorMessage(failure.getMessage())
                .messages(wire != null ? wire.messages() : List.of())
                .capture(captured(wire).build());
    }

    private static HandshakeCapture.Builder captured(WireHandshake wire) {
        return wire != null ? wire.captured() : HandshakeCapture.builder();
    }

    private static HandshakeRecord.Builder common(Object transport, Api api, boolean client, long duration) {
        return HandshakeRecord.builder()
                .role(client ? Role.CLIENT : Role.SERVER)
                .api(api)
                .provider(provider(transport.getClass()))
                .durationNanos(duration)
                .threadName(Thread.currentThread().getName());
    }

    /** A short, stable name for the implementation, from its class. */
    public static String provider(Class<?> type) {
        String name = type.getName();
        if (name.startsWith("io.netty.") || name.startsWith("io.grpc.netty.shaded.io.netty.")) {
            return "Netty-OpenSSL";
        }
        if (name.startsWith("org.conscrypt.")) {
            return "Conscrypt";
        }
        if (name.startsWith("org.bouncycastle.")) {
            return "BCJSSE";
        }
        if (name.startsWith("org.wildfly.openssl.")) {
            return "WildFly-OpenSSL";
        }
        return type.getSimpleName();
    }

    /** Providers may leave optional API methods unimplemented (UnsupportedOperationException): then absent. */
    private static <T> T optional(java.util.function.Supplier<T> value) {
        try {
            return value.get();
        } catch (RuntimeException unsupported) {
            return null;
        }
    }

    private static Boolean sessionReused(Object transport) {
        Method m = SESSION_REUSED.get(transport.getClass());
        if (m == null) {
            return null;
        }
        try {
            return (Boolean) m.invoke(transport);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    /** TLS 1.3 resumes only by PSK; for older versions the public API does not tell how. */
    private static Resumption resumption(Boolean resumed, String protocol) {
        if (resumed == null) {
            return null;
        }
        if (!resumed) {
            return Resumption.NONE;
        }
        return "TLSv1.3".equals(protocol) ? Resumption.PSK : null;
    }

    private static String applicationProtocol(Object transport) {
        String alpn = transport instanceof SSLEngine ? ((SSLEngine) transport).getApplicationProtocol()
                : ((SSLSocket) transport).getApplicationProtocol();
        return alpn == null || alpn.isEmpty() ? null : alpn;
    }

    private static boolean established(SSLSession session) {
        return session != null && SessionDetails.negotiated(session.getCipherSuite()) != null;
    }
}
