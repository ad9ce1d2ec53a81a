package io.tlsagent.bench;

import io.tlsagent.testsupport.TestCertificates;
import io.tlsagent.testsupport.EnginePair;
import io.tlsagent.testsupport.TestPki;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * One self-signed EC P-256 server certificate for every benchmark (CN=localhost, SAN localhost and 127.0.0.1), made
 * with test-support's {@link TestCertificates}. The suite makes it once and hands its keystore's path to each forked
 * JVM ({@value #KEYSTORE_PROPERTY}), which reads it with the JDK alone; a JVM without it makes its own. EC keeps a
 * handshake cheap, so the agent's share of it is as large as it gets (RSA 2048 costs several times more). The server
 * presents it through the JDK's default key manager (SunX509), the client trusts it directly.
 */
final class Pki {

    static final String KEYSTORE_PROPERTY = "io.tlsagent.bench.keystore";
    static final String ALIAS = "server";

    private static Pki instance;

    final SSLContext server;
    final SSLContext client;
    final X509Certificate certificate;
    /** The server's key and certificate ({@value #ALIAS}), for the contexts of other providers. */
    final KeyStore keys;

    private Pki(Path keystore) throws Exception {
        KeyStore ks = TestPki.loadKeyStore(keystore);
        keys = ks;
        certificate = (X509Certificate) ks.getCertificate(ALIAS);
        server = TestPki.context(ks, KeyManagerFactory.getDefaultAlgorithm(), null);
        client = TestPki.context(null, null, null, certificate);
    }

    static synchronized Pki get() throws Exception {
        if (instance == null) {
            String given = System.getProperty(KEYSTORE_PROPERTY);
            Path keystore = given != null ? Paths.get(given) : create(Files.createTempDirectory("tls-agent-bench"));
            instance = new Pki(keystore);
        }
        return instance;
    }

    /** Writes {@code server.p12} into {@code dir}: the key and its certificate, valid ten years. */
    static Path create(Path dir) throws Exception {
        Path keystore = dir.resolve("server.p12");
        KeyPair keys = TestCertificates.ec("secp256r1");
        Instant now = Instant.now();
        X509Certificate certificate = TestCertificates.certificate("CN=localhost", keys.getPublic(), "CN=localhost",
                keys.getPrivate(), "SHA256withECDSA", new BigInteger(63, new SecureRandom()).add(BigInteger.ONE),
                now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(3650)), false,
                TestCertificates.dns("localhost"), TestCertificates.ip("127.0.0.1"));
        TestPki.store(TestPki.keyStore(ALIAS, keys.getPrivate(), certificate), keystore);
        return keystore;
    }

    /**
     * An engine pair for {@code protocol} ("TLSv1.3", "TLSv1.2"). With {@code resumable} the client engine names its
     * peer (localhost:4433), so its context's session cache offers the last session again; without, every handshake
     * is a full one.
     */
    EnginePair pair(String protocol, boolean resumable) {
        EnginePair pair = resumable ? EnginePair.of(client, "localhost", 4433, server) : EnginePair.of(client, server);
        return pair.protocols(protocol);
    }
}
