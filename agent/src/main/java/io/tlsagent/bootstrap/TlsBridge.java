package io.tlsagent.bootstrap;

import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLSocket;

/**
 * The only agent class that advice inlined into {@code java.base} calls. The agent defines this class (and
 * {@link TlsHooks}) in the bootstrap class loader before instrumenting anything, so JDK code can see it.
 *
 * <p>Every method is static, never throws and does nothing while no hooks are installed (before start,
 * after detach). It references JDK types only.
 */
public final class TlsBridge {

    private static volatile TlsHooks hooks;
    private static final AtomicLong ERRORS = new AtomicLong();

    /**
     * Per thread: [0] how many hooked {@code SSLSocket.startHandshake()} calls are running (an engine-based socket,
     * like Conscrypt's, drives an engine inside: that engine's events are then the socket's, not a second
     * handshake); [1] whether the socket hook itself is running (it asks the socket for its session, which may call
     * {@code startHandshake()} again).
     */
    private static final ThreadLocal<int[]> SOCKET_DEPTH = ThreadLocal.withInitial(() -> new int[2]);

    private TlsBridge() {}

    /** A hooked socket's startHandshake() begins on this thread. */
    public static void socketHandshakeEnter() {
        SOCKET_DEPTH.get()[0]++;
    }

    public static void install(TlsHooks newHooks) {
        hooks = newHooks;
    }

    public static void uninstall() {
        hooks = null;
    }

    /** Throwables the hooks let escape; the agent also counts its own. */
    public static long errors() {
        return ERRORS.get();
    }

    public static void inboundMessage(Object handshakeContext, byte type, Object plaintext) {
        TlsHooks h = hooks;
        if (h == null) {
            return;
        }
        try {
            h.inboundMessage(handshakeContext, type, plaintext, System.nanoTime());
        } catch (Throwable t) {
            ERRORS.incrementAndGet();
        }
    }

    public static void outboundMessage(Object handshakeMessage, Object handshakeOutStream) {
        TlsHooks h = hooks;
        if (h == null) {
            return;
        }
        try {
            h.outboundMessage(handshakeMessage, handshakeOutStream, System.nanoTime());
        } catch (Throwable t) {
            ERRORS.incrementAndGet();
        }
    }

    public static void handshakeFinished(Object transportContext) {
        TlsHooks h = hooks;
        if (h == null) {
            return;
        }
        try {
            h.handshakeFinished(transportContext, System.nanoTime());
        } catch (Throwable t) {
            ERRORS.incrementAndGet();
        }
    }

    public static void fatal(Object transportContext, Object alert, String diagnostic, boolean alertReceived,
            Throwable cause) {
        TlsHooks h = hooks;
        if (h == null) {
            return;
        }
        try {
            h.fatal(transportContext, alert, diagnostic, alertReceived, cause, System.nanoTime());
        } catch (Throwable t) {
            ERRORS.incrementAndGet();
        }
    }

    public static void engineInboundClosed(Object engine) {
        TlsHooks h = hooks;
        if (h == null) {
            return;
        }
        try {
            h.engineInboundClosed(engine, System.nanoTime());
        } catch (Throwable t) {
            ERRORS.incrementAndGet();
        }
    }

    public static void engineHandshakeStatus(SSLEngine engine, SSLEngineResult.HandshakeStatus status) {
        TlsHooks h = hooks;
        if (h == null || SOCKET_DEPTH.get()[0] > 0) {
            return;
        }
        try {
            h.engineHandshakeStatus(engine, status, System.nanoTime());
        } catch (Throwable t) {
            ERRORS.incrementAndGet();
        }
    }

    public static void engineFailed(SSLEngine engine, Throwable failure) {
        TlsHooks h = hooks;
        if (h == null || SOCKET_DEPTH.get()[0] > 0) {
            return;
        }
        try {
            h.engineFailed(engine, failure, System.nanoTime());
        } catch (Throwable t) {
            ERRORS.incrementAndGet();
        }
    }

    public static void socketHandshake(SSLSocket socket, long startNanos, Throwable failure) {
        int[] depth = SOCKET_DEPTH.get();
        depth[0]--;
        TlsHooks h = hooks;
        if (h == null || depth[1] > 0) {
            return;
        }
        depth[1]++;
        try {
            h.socketHandshake(socket, startNanos, failure, System.nanoTime());
        } catch (Throwable t) {
            ERRORS.incrementAndGet();
        } finally {
            depth[1]--;
        }
    }

    public static void tlsObjectCreated(Object engineOrSocket) {
        TlsHooks h = hooks;
        if (h == null) {
            return;
        }
        try {
            h.tlsObjectCreated(engineOrSocket);
        } catch (Throwable t) {
            ERRORS.incrementAndGet();
        }
    }

    public static void trustCheckStarted(Object handshakeContext) {
        TlsHooks h = hooks;
        if (h == null) {
            return;
        }
        try {
            h.trustCheckStarted(handshakeContext, System.nanoTime());
        } catch (Throwable t) {
            ERRORS.incrementAndGet();
        }
    }

    public static void trustCheckEnded(Object handshakeContext, Throwable failure) {
        TlsHooks h = hooks;
        if (h == null) {
            return;
        }
        try {
            h.trustCheckEnded(handshakeContext, failure, System.nanoTime());
        } catch (Throwable t) {
            ERRORS.incrementAndGet();
        }
    }
}
