package io.tlsagent.bootstrap;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLSocket;

/**
 * What every TLS implementation reports to the agent through the public JSSE API: the advice on the constructors of
 * {@code SSLEngine} and {@code SSLSocket}, and on the engine and socket classes of providers other than SunJSSE.
 * Defined in the bootstrap class loader like {@link SunJsseEvents}, and called the same way: {@code PublicApiEvents
 * e = PublicApiEvents.current; if (e != null) ...}.
 */
public abstract class PublicApiEvents {

    /** The running agent's implementation, or null. */
    public static volatile PublicApiEvents current;

    protected PublicApiEvents() {}

    /** An {@code SSLEngine} or {@code SSLSocket} was constructed: the first of its class gets that class hooked. */
    public abstract void tlsObjectCreated(Object engineOrSocket);

    /** A hooked engine's wrap/unwrap returned while handshaking (a status other than NOT_HANDSHAKING). */
    public abstract void engineHandshakeStatus(SSLEngine engine, SSLEngineResult.HandshakeStatus status,
            long nanoTime);

    /** A hooked engine's wrap/unwrap threw. */
    public abstract void engineFailed(SSLEngine engine, Throwable failure, long nanoTime);

    /** A hooked socket's {@code startHandshake()} begins on this thread. */
    public abstract void socketHandshakeEntered();

    /** A hooked socket's {@code startHandshake()} returned ({@code failure} null) or threw. */
    public abstract void socketHandshakeExited(SSLSocket socket, long startNanos, Throwable failure, long nanoTime);
}
