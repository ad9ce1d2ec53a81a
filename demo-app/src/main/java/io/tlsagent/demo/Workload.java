package io.tlsagent.demo;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.List;

/**
 * The demo's servers on loopback and the scenarios its clients play against them. Succeeding scenarios carry a
 * weight (how often they come, relative to each other); failing ones take turns within the failure share.
 */
final class Workload implements AutoCloseable {

    private static final String[] TLS13_AND_12 = {"TLSv1.3", "TLSv1.2"};
    private static final String[] TLS13 = {"TLSv1.3"};
    private static final String[] TLS12 = {"TLSv1.2"};

    private final List<Server> servers = new ArrayList<>();
    private final List<Scenario> scenarios;

    Workload(DemoPki pki, Options options) throws IOException, GeneralSecurityException {
        try {
            Server https = add(new HttpsEndpoint(pki.serverContext(), options.httpsPort, TLS13_AND_12));
            Server plain = add(new TlsServer("tls", "SSLServerSocket server, TLSv1.3 and TLSv1.2, EC and RSA"
                    + " certificates", pki.serverContext(), TLS13_AND_12, null, false));
            Server mtls = add(new TlsServer("mtls", "mutual TLS: requires a client certificate from the demo CA",
                    pki.mutualTlsServerContext(), TLS13_AND_12, null, true));
            Server expiring = add(new TlsServer("expiring", "its certificate expires in " + DemoPki.EXPIRING_DAYS
                    + " days", pki.expiringServerContext(), TLS13_AND_12, null, false));
            Server strict = add(new TlsServer("strict", "TLSv1.3 with TLS_AES_256_GCM_SHA384 only",
                    pki.serverContext(), TLS13, new String[] {"TLS_AES_256_GCM_SHA384"}, false));
            Server expired = add(new TlsServer("expired", "its certificate expired yesterday",
                    pki.expiredServerContext(), TLS13_AND_12, null, false));
            Server wrongHost = add(new TlsServer("wrong-host", "its certificate names " + DemoPki.WRONG_HOST
                    + ", not localhost", pki.wrongHostServerContext(), TLS13_AND_12, null, false));
            Server untrusted = add(new TlsServer("untrusted", "a self-signed certificate",
                    pki.untrustedServerContext(), TLS13_AND_12, null, false));
            Server legacy = options.legacy ? add(new TlsServer("legacy", "still accepts TLSv1 and TLSv1.1",
                    pki.serverContext(), new String[] {"TLSv1.2", "TLSv1.1", "TLSv1"}, null, false)) : null;

            List<Scenario.Builder> b = new ArrayList<>();
            // Succeeding, by weight: mostly TLS 1.3 HTTPS, some TLS 1.2, a few mutual TLS and legacy.
            b.add(Scenario.of(pki, ClientApi.HTTP_CLIENT, https, TLS13_AND_12).weight(4));
            b.add(Scenario.of(pki, ClientApi.HTTP_CLIENT, https, TLS13).suites("TLS_AES_128_GCM_SHA256").weight(2));
            b.add(Scenario.of(pki, ClientApi.URL_CONNECTION, https, TLS12)
                    .suites("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384")
                    .note("ECDHE-RSA: the RSA certificate").weight(2));
            b.add(Scenario.of(pki, ClientApi.URL_CONNECTION, https, TLS13).suites("TLS_CHACHA20_POLY1305_SHA256")
                    .weight(2));
            b.add(Scenario.of(pki, ClientApi.SSL_SOCKET, plain, TLS12).note("ECDHE-ECDSA: the EC certificate")
                    .weight(2));
            b.add(Scenario.of(pki, ClientApi.SSL_SOCKET, plain, TLS13).group("x25519").weight(2));
            b.add(Scenario.of(pki, ClientApi.SSL_SOCKET, plain, TLS13).group("secp256r1").weight(1));
            b.add(Scenario.of(pki, ClientApi.SSL_SOCKET, plain, TLS12)
                    .suites("TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256").group("secp256r1").weight(1));
            b.add(Scenario.of(pki, ClientApi.SSL_SOCKET, mtls, TLS13).clientCertificate().weight(1));
            b.add(Scenario.of(pki, ClientApi.SSL_SOCKET, mtls, TLS12).clientCertificate().weight(1));
            b.add(Scenario.of(pki, ClientApi.SSL_SOCKET, expiring, TLS13_AND_12)
                    .note("certificate expires in " + DemoPki.EXPIRING_DAYS + " days").weight(1));
            if (legacy != null) {
                b.add(Scenario.of(pki, ClientApi.SSL_SOCKET, legacy, "TLSv1")
                        .suites("TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA").note("legacy client").weight(1));
                b.add(Scenario.of(pki, ClientApi.SSL_SOCKET, legacy, "TLSv1.1")
                        .suites("TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA").note("legacy client").weight(1));
            }
            // Failing, in turns: one per error type an operator meets, over the three client APIs.
            b.add(Scenario.of(pki, ClientApi.SSL_SOCKET, expired, TLS13_AND_12).fails(Failure.CERTIFICATE_EXPIRED));
            b.add(Scenario.of(pki, ClientApi.URL_CONNECTION, untrusted, TLS13_AND_12)
                    .fails(Failure.CERTIFICATE_UNTRUSTED));
            b.add(Scenario.of(pki, ClientApi.HTTP_CLIENT, wrongHost, TLS13_AND_12).fails(Failure.HOSTNAME_MISMATCH));
            b.add(Scenario.of(pki, ClientApi.SSL_SOCKET, strict, TLS12).fails(Failure.PROTOCOL_VERSION));
            b.add(Scenario.of(pki, ClientApi.URL_CONNECTION, strict, TLS13).suites("TLS_CHACHA20_POLY1305_SHA256")
                    .fails(Failure.NO_COMMON_CIPHER));
            b.add(Scenario.of(pki, ClientApi.SSL_SOCKET, mtls, TLS13).fails(Failure.CLIENT_CERTIFICATE_MISSING));
            scenarios = Scenario.build(b);
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            close();
            throw e;
        }
    }

    private Server add(Server server) {
        servers.add(server);
        return server;
    }

    List<Server> servers() {
        return servers;
    }

    List<Scenario> scenarios() {
        return scenarios;
    }

    @Override
    public void close() {
        for (Server server : servers) {
            server.close();
        }
    }
}
