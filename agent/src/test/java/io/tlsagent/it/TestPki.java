package io.tlsagent.it;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Writer;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Test certificates, made with Bouncy Castle: a CA, a server certificate for localhost signed by it, and an
 * unrelated self-signed certificate nobody trusts. Written as PKCS12 for Java and PEM for openssl.
 */
final class TestPki {

    static final char[] PASSWORD = "changeit".toCharArray();

    final KeyPair caKeys;
    final X509Certificate ca;
    final KeyPair serverKeys;
    final X509Certificate server;
    final KeyPair untrustedKeys;
    final X509Certificate untrusted;

    private TestPki(KeyPair caKeys, X509Certificate ca, KeyPair serverKeys, X509Certificate server,
            KeyPair untrustedKeys, X509Certificate untrusted) {
        this.caKeys = caKeys;
        this.ca = ca;
        this.serverKeys = serverKeys;
        this.server = server;
        this.untrustedKeys = untrustedKeys;
        this.untrusted = untrusted;
    }

    private TestPki() throws Exception {
        caKeys = ecKeys();
        ca = certificate("CN=tls-agent test CA", caKeys, "CN=tls-agent test CA", caKeys.getPrivate(), true);
        serverKeys = ecKeys();
        server = certificate("CN=localhost,O=tls-agent tests", serverKeys, "CN=tls-agent test CA",
                caKeys.getPrivate(), false);
        untrustedKeys = ecKeys();
        untrusted = certificate("CN=untrusted.test", untrustedKeys, "CN=untrusted.test",
                untrustedKeys.getPrivate(), false);
    }

    static TestPki create() throws Exception {
        return new TestPki();
    }

    /** Saves everything to {@code dir}: pki.p12 for {@link #load}, PEM files for openssl. */
    void save(Path dir) throws Exception {
        KeyStore all = KeyStore.getInstance("PKCS12");
        all.load(null, null);
        all.setKeyEntry("ca", caKeys.getPrivate(), PASSWORD, new X509Certificate[] {ca});
        all.setKeyEntry("server", serverKeys.getPrivate(), PASSWORD, new X509Certificate[] {server, ca});
        all.setKeyEntry("untrusted", untrustedKeys.getPrivate(), PASSWORD, new X509Certificate[] {untrusted});
        try (OutputStream out = Files.newOutputStream(dir.resolve("pki.p12"))) {
            all.store(out, PASSWORD);
        }
        writePem(dir);
    }

    /** A keystore holding only the server's key and chain (for a server that must not pick another key). */
    Path saveServerKeystore(Path dir) throws Exception {
        Path file = dir.resolve("server.p12");
        try (OutputStream out = Files.newOutputStream(file)) {
            keyStore(serverKeys.getPrivate(), server, ca).store(out, PASSWORD);
        }
        return file;
    }

    static TestPki load(Path dir) throws Exception {
        KeyStore all = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(dir.resolve("pki.p12"))) {
            all.load(in, PASSWORD);
        }
        return new TestPki(pair(all, "ca"), (X509Certificate) all.getCertificate("ca"), pair(all, "server"),
                (X509Certificate) all.getCertificate("server"), pair(all, "untrusted"),
                (X509Certificate) all.getCertificate("untrusted"));
    }

    private static KeyPair pair(KeyStore ks, String alias) throws Exception {
        return new KeyPair(ks.getCertificate(alias).getPublicKey(), (PrivateKey) ks.getKey(alias, PASSWORD));
    }

    /** Server context presenting the CA-signed certificate, trusting the CA (for client certificates). */
    SSLContext serverContext() throws Exception {
        return context(keyStore(serverKeys.getPrivate(), server, ca));
    }

    /** Server context presenting the self-signed certificate nobody trusts. */
    SSLContext untrustedServerContext() throws Exception {
        return context(keyStore(untrustedKeys.getPrivate(), untrusted));
    }

    /** Client context trusting the CA. A new one has an empty session cache. */
    SSLContext clientContext() throws Exception {
        return context(null);
    }

    /** Client context of another TLS implementation (e.g. Bouncy Castle's JSSE), trusting the CA. */
    SSLContext clientContext(java.security.Provider provider) throws Exception {
        TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", ca);
        tmf.init(trust);
        SSLContext ctx = SSLContext.getInstance("TLS", provider);
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx;
    }

    private SSLContext context(KeyStore keys) throws Exception {
        KeyManagerFactory kmf = null;
        if (keys != null) {
            kmf = KeyManagerFactory.getInstance("PKIX");
            kmf.init(keys, PASSWORD);
        }
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", ca);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
        tmf.init(trust);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        return ctx;
    }

    private static KeyStore keyStore(PrivateKey key, X509Certificate... chain) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("key", key, PASSWORD, chain);
        return ks;
    }

    /** Writes server.pem (chain), server-key.pem and ca.pem for openssl. */
    void writePem(Path dir) throws IOException {
        pem(dir.resolve("server.pem"), server, ca);
        pem(dir.resolve("server-key.pem"), new JcaPKCS8Generator(serverKeys.getPrivate(), null));
        pem(dir.resolve("ca.pem"), ca);
    }

    private static void pem(Path file, Object... objects) throws IOException {
        try (Writer w = Files.newBufferedWriter(file); JcaPEMWriter pem = new JcaPEMWriter(w)) {
            for (Object o : objects) {
                pem.writeObject(o);
            }
        }
    }

    private static KeyPair ecKeys() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        return g.generateKeyPair();
    }

    private static X509Certificate certificate(String subject, KeyPair keys, String issuer, PrivateKey signer,
            boolean isCa) throws Exception {
        Instant now = Instant.now();
        JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(new X500Name(issuer),
                new BigInteger(64, new SecureRandom()).add(BigInteger.ONE), Date.from(now.minus(Duration.ofHours(1))),
                Date.from(now.plus(Duration.ofDays(30))), new X500Name(subject), keys.getPublic());
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(isCa));
        if (!isCa) {
            String host = subject.startsWith("CN=localhost") ? "localhost" : "untrusted.test";
            b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
                new GeneralName(GeneralName.dNSName, host), new GeneralName(GeneralName.iPAddress, "127.0.0.1")}));
        }
        return new JcaX509CertificateConverter().getCertificate(
                b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(signer)));
    }

}
