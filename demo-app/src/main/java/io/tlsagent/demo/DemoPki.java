package io.tlsagent.demo;

import java.io.IOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.PublicKey;
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
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The demo's certificates, generated at start with Bouncy Castle (EC P-256 keys, valid for a day):
 * a CA, a server certificate for localhost / 127.0.0.1 signed by that CA, and a self-signed server certificate
 * that no client trusts. Hands them out as SSLContexts. Signing uses the JDK's own providers; Bouncy Castle only
 * builds the certificates and is not installed as a JCA provider, so TLS stays on SunJSSE.
 */
final class DemoPki {

    private static final char[] PASSWORD = "demo".toCharArray();
    private static final String SIGNATURE = "SHA256withECDSA";

    private final KeyStore serverKeys;
    private final KeyStore untrustedServerKeys;
    private final KeyStore clientTrust;
    private final X509Certificate ca;
    private final X509Certificate server;
    private final X509Certificate untrusted;

    private DemoPki(X509Certificate ca, KeyPair serverPair, X509Certificate server, KeyPair untrustedPair,
            X509Certificate untrusted) throws GeneralSecurityException, IOException {
        this.ca = ca;
        this.server = server;
        this.untrusted = untrusted;
        this.serverKeys = keyStore();
        serverKeys.setKeyEntry("server", serverPair.getPrivate(), PASSWORD, new X509Certificate[] {server, ca});
        this.untrustedServerKeys = keyStore();
        untrustedServerKeys.setKeyEntry("server", untrustedPair.getPrivate(), PASSWORD,
                new X509Certificate[] {untrusted});
        this.clientTrust = keyStore();
        clientTrust.setCertificateEntry("demo-ca", ca);
    }

    /** Generates the CA and both server certificates. */
    static DemoPki generate() throws GeneralSecurityException {
        try {
            Instant now = Instant.now();
            KeyPair caPair = newKeyPair();
            X500Name caName = new X500Name("CN=tls-agent demo CA");
            X509Certificate ca = sign(caName, caPair.getPublic(), caName, caPair.getPrivate(), null, now, true);

            KeyPair serverPair = newKeyPair();
            X509Certificate server = sign(new X500Name("CN=localhost,O=tls-agent demo"), serverPair.getPublic(),
                    caName, caPair.getPrivate(), ca, now, false);

            KeyPair untrustedPair = newKeyPair();
            X500Name untrustedName = new X500Name("CN=localhost,O=tls-agent demo untrusted self-signed");
            X509Certificate untrusted = sign(untrustedName, untrustedPair.getPublic(), untrustedName,
                    untrustedPair.getPrivate(), null, now, false);

            return new DemoPki(ca, serverPair, server, untrustedPair, untrusted);
        } catch (IOException | OperatorCreationException e) {
            throw new GeneralSecurityException("cannot generate the demo certificates: " + e, e);
        }
    }

    /** The server side with the certificate the CA signed (the good server). */
    SSLContext serverContext() throws GeneralSecurityException {
        return serverContext(serverKeys);
    }

    /** The server side with the self-signed certificate no client trusts. */
    SSLContext untrustedServerContext() throws GeneralSecurityException {
        return serverContext(untrustedServerKeys);
    }

    /** A new client side that trusts the demo CA only. New context, new (empty) client session cache. */
    SSLContext newClientContext() throws GeneralSecurityException {
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(clientTrust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, tmf.getTrustManagers(), null);
        return context;
    }

    String describe() {
        return "CA \"" + ca.getSubjectX500Principal().getName() + "\", server \""
                + server.getSubjectX500Principal().getName() + "\" (localhost, 127.0.0.1) signed by it, untrusted \""
                + untrusted.getSubjectX500Principal().getName() + "\"";
    }

    private static SSLContext serverContext(KeyStore keys) throws GeneralSecurityException {
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, PASSWORD);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(kmf.getKeyManagers(), null, null);
        return context;
    }

    private static KeyStore keyStore() throws GeneralSecurityException, IOException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        return store;
    }

    private static KeyPair newKeyPair() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        return generator.generateKeyPair();
    }

    /** A CA certificate ({@code isCa}) or a TLS server certificate for localhost and 127.0.0.1. */
    private static X509Certificate sign(X500Name subject, PublicKey subjectKey, X500Name issuer, PrivateKey issuerKey,
            X509Certificate issuerCertificate, Instant now, boolean isCa)
            throws GeneralSecurityException, IOException, OperatorCreationException {
        JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(issuer,
                new BigInteger(63, new SecureRandom()).add(BigInteger.ONE),
                Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(1))),
                subject, subjectKey);
        builder.addExtension(Extension.subjectKeyIdentifier, false,
                extensions.createSubjectKeyIdentifier(subjectKey));
        if (isCa) {
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        } else {
            builder.addExtension(Extension.authorityKeyIdentifier, false, issuerCertificate != null
                    ? extensions.createAuthorityKeyIdentifier(issuerCertificate)
                    : extensions.createAuthorityKeyIdentifier(subjectKey));
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
            builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
            builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
                new GeneralName(GeneralName.dNSName, "localhost"),
                new GeneralName(GeneralName.iPAddress, "127.0.0.1")
            }));
        }
        return new JcaX509CertificateConverter()
                .getCertificate(builder.build(new JcaContentSignerBuilder(SIGNATURE).build(issuerKey)));
    }
}
