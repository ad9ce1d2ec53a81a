package io.tlsagent.anatomy;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
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
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** Real certificates for the tests, made with Bouncy Castle: any key, any validity, any signature. */
public final class TestCerts {

    private static final char[] PASSWORD = "changeit".toCharArray();

    private TestCerts() {}

    static KeyPair rsa(int bits) throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(bits);
        return g.generateKeyPair();
    }

    static KeyPair ec(String curve) throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec(curve));
        return g.generateKeyPair();
    }

    /** A certificate for {@code subjectKey}, signed by {@code signer}; {@code sans} as GeneralNames. */
    static X509Certificate certificate(String subject, PublicKey subjectKey, String issuer, PrivateKey signer,
            String signatureAlgorithm, BigInteger serial, Instant notBefore, Instant notAfter, boolean ca,
            GeneralName... sans) throws Exception {
        JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(new X500Name(issuer), serial,
                Date.from(notBefore), Date.from(notAfter), new X500Name(subject), subjectKey);
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
        if (sans.length > 0) {
            b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(sans));
        }
        return new JcaX509CertificateConverter().getCertificate(
                b.build(new JcaContentSignerBuilder(signatureAlgorithm).build(signer)));
    }

    /** A CA and a localhost server certificate it signed, valid around now. */
    public static final class Pki {
        final KeyPair caKeys;
        final X509Certificate ca;
        final KeyPair serverKeys;
        final X509Certificate server;

        public Pki() throws Exception {
            Instant now = Instant.now();
            caKeys = ec("secp256r1");
            ca = certificate("CN=anatomy test CA", caKeys.getPublic(), "CN=anatomy test CA", caKeys.getPrivate(),
                    "SHA256withECDSA", BigInteger.valueOf(1), now.minusSeconds(3600), now.plusSeconds(86400), true);
            serverKeys = ec("secp256r1");
            server = certificate("CN=localhost,O=anatomy tests", serverKeys.getPublic(), "CN=anatomy test CA",
                    caKeys.getPrivate(), "SHA256withECDSA", new BigInteger("1234567890ABCDEF", 16),
                    now.minusSeconds(3600), now.plusSeconds(86400), false,
                    new GeneralName(GeneralName.dNSName, "localhost"));
        }

        public X509Certificate server() {
            return server;
        }

        public X509Certificate ca() {
            return ca;
        }

        public SSLContext serverContext() throws Exception {
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(keyManagers(), trust(), null);
            return ctx;
        }

        /** A client that presents the server's certificate and key as its own (mutual TLS in tests). */
        public SSLContext clientContextWithServerKey() throws Exception {
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(keyManagers(), trust(), null);
            return ctx;
        }

        private javax.net.ssl.KeyManager[] keyManagers() throws Exception {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setKeyEntry("key", serverKeys.getPrivate(), PASSWORD, new X509Certificate[] {server, ca});
            KeyManagerFactory kmf = KeyManagerFactory.getInstance("PKIX");
            kmf.init(ks, PASSWORD);
            return kmf.getKeyManagers();
        }

        public SSLContext clientContext() throws Exception {
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, trust(), null);
            return ctx;
        }

        private javax.net.ssl.TrustManager[] trust() throws Exception {
            KeyStore ts = KeyStore.getInstance("PKCS12");
            ts.load(null, null);
            ts.setCertificateEntry("ca", ca);
            TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
            tmf.init(ts);
            return tmf.getTrustManagers();
        }
    }
}
