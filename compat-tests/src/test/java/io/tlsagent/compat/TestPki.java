package io.tlsagent.compat;

import io.tlsagent.compat.apps.AppTls;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A CA and a server certificate for {@code localhost} and {@code 127.0.0.1} signed by it, made with Bouncy Castle
 * at test start and written where the forked programs read them ({@link AppTls}): the server's key and chain in a
 * PKCS12 keystore, the CA certificate (DER) for the clients' trust.
 */
public final class TestPki {

    public static final String SERVER_SUBJECT = "O=tls-agent compat tests,CN=localhost";
    public static final String CA_SUBJECT = "CN=tls-agent compat test CA";

    public final X509Certificate ca;
    public final X509Certificate server;

    private TestPki(X509Certificate ca, X509Certificate server) {
        this.ca = ca;
        this.server = server;
    }

    /** Makes the certificates and writes them to {@code dir}. */
    public static TestPki createIn(Path dir) throws Exception {
        KeyPair caKeys = ecKeys();
        X509Certificate ca = certificate(CA_SUBJECT, caKeys, CA_SUBJECT, caKeys.getPrivate(), true);
        KeyPair serverKeys = ecKeys();
        X509Certificate server = certificate("CN=localhost,O=tls-agent compat tests", serverKeys, CA_SUBJECT,
                caKeys.getPrivate(), false);
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry(AppTls.ALIAS, serverKeys.getPrivate(), AppTls.PASSWORD.toCharArray(),
                new X509Certificate[] {server, ca});
        try (var out = Files.newOutputStream(dir.resolve(AppTls.KEYSTORE))) {
            ks.store(out, AppTls.PASSWORD.toCharArray());
        }
        Files.write(dir.resolve(AppTls.CA_CERT), ca.getEncoded());
        return new TestPki(ca, server);
    }

    /** The server certificate's SHA-256, as the agent writes it (upper-case hex). */
    public String serverSha256() throws Exception {
        return String.format("%064X",
                new BigInteger(1, MessageDigest.getInstance("SHA-256").digest(server.getEncoded())));
    }

    private static KeyPair ecKeys() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"), new SecureRandom());
        return g.generateKeyPair();
    }

    private static X509Certificate certificate(String subject, KeyPair keys, String issuer, PrivateKey signer,
            boolean isCa) throws Exception {
        Instant now = Instant.now();
        JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(new X500Name(issuer),
                new BigInteger(63, new SecureRandom()), Date.from(now.minus(Duration.ofHours(1))),
                Date.from(now.plus(Duration.ofDays(2))), new X500Name(subject), keys.getPublic());
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(isCa));
        if (!isCa) {
            b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
                new GeneralName(GeneralName.dNSName, "localhost"),
                new GeneralName(GeneralName.iPAddress, "127.0.0.1")}));
        }
        return new JcaX509CertificateConverter().getCertificate(
                b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(signer)));
    }
}
