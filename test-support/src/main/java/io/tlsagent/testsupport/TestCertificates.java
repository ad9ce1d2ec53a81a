package io.tlsagent.testsupport;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Real X.509 certificates for tests, made with Bouncy Castle: any key, subject, issuer, serial, validity, signature
 * algorithm and subject alternative names. Bouncy Castle only builds the certificates; it is not installed as a JCA
 * provider, so keys, signatures and TLS stay the JDK's. The only class here that uses Bouncy Castle: a JVM that
 * {@linkplain TestPki#load loads} its certificates from disk never loads it.
 */
public final class TestCertificates {

    private TestCertificates() {}

    public static KeyPair ec(String curve) throws GeneralSecurityException {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec(curve));
        return g.generateKeyPair();
    }

    public static KeyPair rsa(int bits) throws GeneralSecurityException {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(bits);
        return g.generateKeyPair();
    }

    /**
     * A v3 certificate for {@code subjectKey} named {@code subject}, signed by {@code signer} as {@code issuer}
     * (the subject's own private key and name: self-signed) with {@code signatureAlgorithm}
     * ({@code SHA256withECDSA}, {@code SHA1withRSA}, {@code Ed25519}, ...): a critical basic-constraints extension
     * saying whether it is a CA, and the subject alternative names {@code sans} if any ({@link #dns}, {@link #ip},
     * or any {@link GeneralName}).
     */
    public static X509Certificate certificate(String subject, PublicKey subjectKey, String issuer, PrivateKey signer,
            String signatureAlgorithm, BigInteger serial, Instant notBefore, Instant notAfter, boolean ca,
            GeneralName... sans) throws GeneralSecurityException {
        JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(new X500Name(issuer), serial,
                Date.from(notBefore), Date.from(notAfter), new X500Name(subject), subjectKey);
        try {
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
            if (sans.length > 0) {
                b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(sans));
            }
            return new JcaX509CertificateConverter().getCertificate(
                    b.build(new JcaContentSignerBuilder(signatureAlgorithm).build(signer)));
        } catch (CertIOException | OperatorCreationException e) {
            throw new GeneralSecurityException("cannot make the certificate for " + subject + ": " + e, e);
        }
    }

    /** A DNS name for {@link #certificate}'s subject alternative names. */
    public static GeneralName dns(String name) {
        return new GeneralName(GeneralName.dNSName, name);
    }

    /** An IP address for {@link #certificate}'s subject alternative names. */
    public static GeneralName ip(String address) {
        return new GeneralName(GeneralName.iPAddress, address);
    }
}
