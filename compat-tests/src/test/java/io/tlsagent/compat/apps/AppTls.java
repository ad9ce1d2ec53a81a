package io.tlsagent.compat.apps;

import io.tlsagent.testsupport.TestPki;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * What the forked programs need for TLS, read from the directory the test wrote the certificates to
 * ({@link TestPki#save}; its file names and password are constants, copied here by the compiler). Plain JDK only,
 * as an application would do it: each call makes a new {@link SSLContext}, so each client has its own session cache.
 */
public final class AppTls {

    public static final String KEYSTORE = TestPki.SERVER_KEYSTORE;
    public static final String CA_CERT = TestPki.CA_DER;
    public static final String PASSWORD = TestPki.PASSWORD;
    public static final String ALIAS = TestPki.SERVER_ALIAS;

    private AppTls() {}

    public static Path keystore(Path dir) {
        return dir.resolve(KEYSTORE).toAbsolutePath();
    }

    public static KeyManagerFactory keyManagers(Path dir) throws IOException, GeneralSecurityException {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore(dir))) {
            ks.load(in, PASSWORD.toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, PASSWORD.toCharArray());
        return kmf;
    }

    public static X509TrustManager trustManager(Path dir) throws IOException, GeneralSecurityException {
        X509Certificate ca;
        try (InputStream in = Files.newInputStream(dir.resolve(CA_CERT))) {
            ca = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", ca);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        return (X509TrustManager) tmf.getTrustManagers()[0];
    }

    public static SSLContext serverContext(Path dir) throws IOException, GeneralSecurityException {
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(keyManagers(dir).getKeyManagers(), null, null);
        return ctx;
    }

    /** A new client context (its own session cache) trusting the test CA. */
    public static SSLContext clientContext(Path dir) throws IOException, GeneralSecurityException {
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, new javax.net.ssl.TrustManager[] {trustManager(dir)}, null);
        return ctx;
    }
}
