package io.tlsagent.hooks;

import io.tlsagent.bootstrap.TlsHooks;
import io.tlsagent.config.AgentConfig;
import io.tlsagent.record.HandshakeListener;
import io.tlsagent.util.AgentErrors;
import java.util.List;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLSocket;

/** Sends what the bridge reports to the tracker for it: SunJSSE's deep hooks, or the public-API ones. */
public final class HookDispatcher implements TlsHooks {

    private final SunJsseTracker sunJsse; // null when this JDK's SunJSSE is not as expected
    private final PublicApiTracker publicApi;
    private final ProviderClasses providerClasses;

    private HookDispatcher(SunJsseTracker sunJsse, PublicApiTracker publicApi, ProviderClasses providerClasses) {
        this.sunJsse = sunJsse;
        this.publicApi = publicApi;
        this.providerClasses = providerClasses;
    }

    public static HookDispatcher create(List<HandshakeListener> listeners, AgentErrors errors,
            java.lang.instrument.Instrumentation inst, AgentConfig config) {
        Exporters exporters = new Exporters(listeners, errors);
        AnatomyAssembler anatomy = new AnatomyAssembler(new AnatomyAssembler.Options(config.clientHello(),
                config.fingerprints(), config.expiringDays()));
        SunJsseTracker sunJsse = SunJsseTracker.forSunJsse(exporters, errors, anatomy);
        return new HookDispatcher(sunJsse, new PublicApiTracker(exporters, errors),
                new ProviderClasses(inst, sunJsse != null, errors));
    }

    /** Whether SunJSSE's internals are as the deep hooks expect; if not, it is observed like any provider. */
    public boolean sunJsseUsable() {
        return sunJsse != null;
    }

    /** What the trackers follow right now; everything is weakly held, so this falls back when objects die. */
    public double tracked() {
        return (sunJsse != null ? sunJsse.inFlightCount() : 0) + publicApi.trackedCount();
    }

    ProviderClasses providerClasses() {
        return providerClasses;
    }

    @Override
    public void tlsObjectCreated(Object engineOrSocket) {
        providerClasses.created(engineOrSocket);
    }

    @Override
    public void inboundMessage(Object handshakeContext, byte type, Object plaintext, long nanoTime) {
        if (sunJsse != null) {
            sunJsse.inboundMessage(handshakeContext, type, plaintext, nanoTime);
        }
    }

    @Override
    public void trustCheckStarted(Object handshakeContext, long nanoTime) {
        if (sunJsse != null) {
            sunJsse.trustCheckStarted(handshakeContext, nanoTime);
        }
    }

    @Override
    public void trustCheckEnded(Object handshakeContext, Throwable failure, long nanoTime) {
        if (sunJsse != null) {
            sunJsse.trustCheckEnded(handshakeContext, failure, nanoTime);
        }
    }

    @Override
    public void outboundMessage(Object handshakeMessage, Object handshakeOutStream, long nanoTime) {
        if (sunJsse != null) {
            sunJsse.outboundMessage(handshakeMessage, handshakeOutStream, nanoTime);
        }
    }

    /** The agent's own HTTPS endpoint shakes hands too; those handshakes are not the application's. */
    private static boolean ours() {
        return Thread.currentThread().getName().startsWith("tls-agent-");
    }

    @Override
    public void handshakeFinished(Object transportContext, long nanoTime) {
        if (sunJsse != null && !ours()) {
            sunJsse.handshakeFinished(transportContext, nanoTime);
        }
    }

    @Override
    public void fatal(Object transportContext, Object alert, String diagnostic, boolean alertReceived,
            Throwable cause, long nanoTime) {
        if (sunJsse != null && !ours()) {
            sunJsse.fatal(transportContext, alert, diagnostic, alertReceived, cause, nanoTime);
        }
    }

    @Override
    public void engineInboundClosed(Object engine, long nanoTime) {
        if (sunJsse != null) {
            sunJsse.engineInboundClosed(engine, nanoTime);
        }
    }

    @Override
    public void engineHandshakeStatus(SSLEngine engine, SSLEngineResult.HandshakeStatus status, long nanoTime) {
        publicApi.engineHandshakeStatus(engine, status, nanoTime);
    }

    @Override
    public void engineFailed(SSLEngine engine, Throwable failure, long nanoTime) {
        publicApi.engineFailed(engine, failure, nanoTime);
    }

    @Override
    public void socketHandshake(SSLSocket socket, long startNanos, Throwable failure, long nanoTime) {
        publicApi.socketHandshake(socket, startNanos, failure, nanoTime);
    }
}
