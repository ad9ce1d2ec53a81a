package io.tlsagent.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * One self-signed EC P-256 server key for every benchmark, made with the JDK's {@code keytool}. The suite makes it
 * once and hands its path to each forked JVM ({@value #KEYSTORE_PROPERTY}); a JVM without it makes its own.
 * EC keeps a handshake cheap, so the agent's share of it is as large as it gets (RSA 2048 costs several times more).
 */
final class Pki {

    static final String KEYSTORE_PROPERTY = "io.tlsagent.bench.keystore";
    static final char[] PASSWORD = "benchmark".toCharArray();

    private static Pki instance;

    final SSLContext server;
    final SSLContext client;
    final X509Certificate certificate;

    private Pki(Path keystore) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            ks.load(in, PASSWORD);
        }
        certificate = (X509Certificate) ks.getCertificate("server");
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, PASSWORD);
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("server", certificate);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        server = SSLContext.getInstance("TLS");
        server.init(kmf.getKeyManagers(), null, null);
        client = SSLContext.getInstance("TLS");
        client.init(null, tmf.getTrustManagers(), null);
    }

    static synchronized Pki get() throws Exception {
        if (instance == null) {
            String given = System.getProperty(KEYSTORE_PROPERTY);
            Path keystore = given != null ? Paths.get(given) : create(Files.createTempDirectory("tls-agent-bench"));
            instance = new Pki(keystore);
        }
        return instance;
    }

    /** Writes {@code server.p12} into {@code dir} with keytool (CN=localhost, SAN localhost and 127.0.0.1). */
    static Path create(Path dir) throws IOException, InterruptedException {
        Path keystore = dir.resolve("server.p12");
        Files.deleteIfExists(keystore);
        String keytool = Paths.get(System.getProperty("java.home"), "bin", "keytool").toString();
        Process p = new ProcessBuilder(List.of(keytool, "-genkeypair", "-alias", "server", "-keyalg", "EC",
                "-groupname", "secp256r1", "-sigalg", "SHA256withECDSA", "-dname", "CN=localhost",
                "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-validity", "3650", "-storetype", "PKCS12",
                "-keystore", keystore.toString(), "-storepass", new String(PASSWORD), "-keypass",
                new String(PASSWORD)))
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("keytool failed to make " + keystore);
        }
        return keystore;
    }
}
