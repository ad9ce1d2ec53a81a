package io.tlsagent.demo;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.util.HashMap;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;

/**
 * Handshakes through SSLEngine: a client engine and a server engine, connected in memory by {@link EnginePump}.
 * No sockets, so the peer "port" given to the client engine is only a name: with the host it is the key of the
 * client session cache, which is how an engine resumes a session.
 */
final class EngineWorkload implements Workload {

    private static final String HOST = "localhost";
    private static final int SERVER_PORT = 8443;
    private static final int TLS13_ONLY_SERVER_PORT = 8444;
    private static final int UNTRUSTED_SERVER_PORT = 8445;

    private final DemoPki pki;
    private final SSLContext serverContext;
    private final SSLContext untrustedServerContext;
    /** Per protocol, the client context of the last full handshake: its session cache holds that session. */
    private final Map<String, SSLContext> lastFullHandshake = new HashMap<>();

    EngineWorkload(DemoPki pki) throws GeneralSecurityException {
        this.pki = pki;
        this.serverContext = pki.serverContext();
        this.untrustedServerContext = pki.untrustedServerContext();
    }

    @Override
    public String api() {
        return "SSLEngine";
    }

    @Override
    public SSLSession handshake(HandshakeCase.Kind kind, String protocol) throws IOException, GeneralSecurityException {
        switch (kind) {
            case FULL:
                SSLContext fresh = pki.newClientContext();
                lastFullHandshake.put(protocol, fresh);
                return run(fresh, SERVER_PORT, protocol, serverContext, "TLSv1.3", "TLSv1.2");
            case RESUMED:
                SSLContext used = lastFullHandshake.get(protocol);
                if (used == null) { // no full handshake yet: this one is full and primes the cache
                    used = pki.newClientContext();
                    lastFullHandshake.put(protocol, used);
                }
                return run(used, SERVER_PORT, protocol, serverContext, "TLSv1.3", "TLSv1.2");
            case UNTRUSTED:
                return run(pki.newClientContext(), UNTRUSTED_SERVER_PORT, protocol, untrustedServerContext,
                        "TLSv1.3", "TLSv1.2");
            case VERSION_MISMATCH:
                return run(pki.newClientContext(), TLS13_ONLY_SERVER_PORT, protocol, serverContext, "TLSv1.3");
            default:
                throw new IllegalArgumentException(kind.toString());
        }
    }

    private static SSLSession run(SSLContext clientContext, int port, String protocol, SSLContext serverContext,
            String... serverProtocols) throws IOException {
        SSLEngine client = clientContext.createSSLEngine(HOST, port);
        client.setUseClientMode(true);
        SSLParameters parameters = client.getSSLParameters();
        parameters.setProtocols(new String[] {protocol});
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        client.setSSLParameters(parameters);

        SSLEngine server = serverContext.createSSLEngine();
        server.setUseClientMode(false);
        server.setEnabledProtocols(serverProtocols);

        new EnginePump(client, server).run();
        return client.getSession();
    }

    @Override
    public void close() {
        // no server side to stop: the engines live only during a handshake
    }
}
