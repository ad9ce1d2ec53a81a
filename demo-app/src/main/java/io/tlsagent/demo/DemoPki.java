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
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
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
 * The demo's certificates, generated at start with Bouncy Castle: a CA (EC P-256), and signed by it a server
 * certificate with an EC key and one with an RSA key (both for localhost and 127.0.0.1, valid 90 days), one that
 * expires in {@value #EXPIRING_DAYS} days, one that expired yesterday, one for another host name, and a client
 * certificate for mutual TLS (valid {@value #CLIENT_DAYS} days); plus a self-signed server certificate nobody
 * trusts. Hands them out as SSLContexts. Signing uses the JDK's own providers; Bouncy Castle only builds the
 * certificates and is not installed as a JCA provider, so TLS stays on SunJSSE.
 */
final class DemoPki {

    static final int EXPIRING_DAYS = 2;
    /** Within the 14 days of the alert TlsCertificateExpiringSoon, beyond the 3 of TlsCertificateExpiryCritical. */
    static final int CLIENT_DAYS = 10;
    static final String WRONG_HOST = "wrong-host.example";

    private static final char[] PASSWORD = "demo".toCharArray();
    private static final String CA_SIGNATURE = "SHA256withECDSA";

    private enum Usage { CA, SERVER, CLIENT }

    private final X509Certificate ca;
    private final KeyStore trust;
    /** EC and RSA server keys in one store: the key manager picks the one the negotiated suite needs. */
    private final KeyStore serverKeys;
    private final KeyStore expiringKeys;
    private final KeyStore expiredKeys;
    private final KeyStore wrongHostKeys;
    private final KeyStore untrustedKeys;
    private final KeyStore clientKeys;
    private final List<String> described = new ArrayList<>();

    private DemoPki() throws GeneralSecurityException, IOException, OperatorCreationException {
        Instant now = Instant.now();
        KeyPair caPair = ecKeyPair();
        X500Name caName = new X500Name("CN=tls-agent demo CA,O=tls-agent demo");
        ca = sign(caName, caPair.getPublic(), caName, caPair.getPrivate(), null, Usage.CA,
                now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(5 * 365)), null);
        trust = keyStore();
        trust.setCertificateEntry("demo-ca", ca);

        serverKeys = keyStore();
        issue(serverKeys, "server-ec", ecKeyPair(), "CN=localhost,OU=EC key,O=tls-agent demo", caPair, Usage.SERVER,
                now, Duration.ofDays(90), "localhost", "90 days");
        issue(serverKeys, "server-rsa", rsaKeyPair(), "CN=localhost,OU=RSA key,O=tls-agent demo", caPair,
                Usage.SERVER, now, Duration.ofDays(90), "localhost", "90 days");
        expiringKeys = keyStore();
        issue(expiringKeys, "server", ecKeyPair(),
                "CN=localhost,OU=expires in " + EXPIRING_DAYS + " days,O=tls-agent demo", caPair, Usage.SERVER, now,
                Duration.ofDays(EXPIRING_DAYS), "localhost", EXPIRING_DAYS + " days");
        expiredKeys = keyStore();
        issue(expiredKeys, "server", ecKeyPair(), "CN=localhost,OU=expired,O=tls-agent demo", caPair, Usage.SERVER,
                now.minus(Duration.ofDays(31)), Duration.ofDays(30), "localhost", "expired yesterday");
        wrongHostKeys = keyStore();
        issue(wrongHostKeys, "server", ecKeyPair(), "CN=" + WRONG_HOST + ",O=tls-agent demo", caPair, Usage.SERVER,
                now, Duration.ofDays(90), WRONG_HOST, "90 days, only for " + WRONG_HOST);
        clientKeys = keyStore();
        issue(clientKeys, "client", ecKeyPair(), "CN=demo-client,O=tls-agent demo", caPair, Usage.CLIENT, now,
                Duration.ofDays(CLIENT_DAYS), null, CLIENT_DAYS + " days, client certificate for mutual TLS");

        KeyPair untrustedPair = ecKeyPair();
        X500Name untrustedName = new X500Name("CN=localhost,O=tls-agent demo untrusted self-signed");
        X509Certificate untrusted = sign(untrustedName, untrustedPair.getPublic(), untrustedName,
                untrustedPair.getPrivate(), null, Usage.SERVER, now.minus(Duration.ofHours(1)),
                now.plus(Duration.ofDays(90)), "localhost");
        untrustedKeys = keyStore();
        untrustedKeys.setKeyEntry("server", untrustedPair.getPrivate(), PASSWORD, new X509Certificate[] {untrusted});
        described.add(untrusted.getSubjectX500Principal().getName() + " (self-signed, trusted by no one)");
    }

    /** Generates the CA and every certificate (about a second: one RSA key). */
    static DemoPki generate() throws GeneralSecurityException {
        try {
            return new DemoPki();
        } catch (IOException | OperatorCreationException e) {
            throw new GeneralSecurityException("cannot generate the demo certificates: " + e, e);
        }
    }

    /** The good server: EC and RSA certificates signed by the CA. */
    SSLContext serverContext() throws GeneralSecurityException {
        return context(serverKeys, null);
    }

    /** The good server's certificates, and it trusts client certificates from the demo CA (mutual TLS). */
    SSLContext mutualTlsServerContext() throws GeneralSecurityException {
        return context(serverKeys, trust);
    }

    SSLContext expiringServerContext() throws GeneralSecurityException {
        return context(expiringKeys, null);
    }

    SSLContext expiredServerContext() throws GeneralSecurityException {
        return context(expiredKeys, null);
    }

    SSLContext wrongHostServerContext() throws GeneralSecurityException {
        return context(wrongHostKeys, null);
    }

    SSLContext untrustedServerContext() throws GeneralSecurityException {
        return context(untrustedKeys, null);
    }

    /** A client that trusts the demo CA, with its own client session cache; with the client certificate if asked. */
    SSLContext clientContext(boolean withClientCertificate) throws GeneralSecurityException {
        return context(withClientCertificate ? clientKeys : null, trust);
    }

    /** One line per certificate: subject and validity. */
    List<String> describe() {
        return described;
    }

    private static SSLContext context(KeyStore keys, KeyStore trusted) throws GeneralSecurityException {
        KeyManagerFactory kmf = null;
        if (keys != null) {
            kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keys, PASSWORD);
        }
        TrustManagerFactory tmf = null;
        if (trusted != null) {
            tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trusted);
        }
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(kmf == null ? null : kmf.getKeyManagers(), tmf == null ? null : tmf.getTrustManagers(), null);
        return context;
    }

    private void issue(KeyStore store, String alias, KeyPair pair, String subject, KeyPair caPair, Usage usage,
            Instant now, Duration validity, String host, String validityText)
            throws GeneralSecurityException, IOException, OperatorCreationException {
        X509Certificate cert = sign(new X500Name(subject), pair.getPublic(), X500Name.getInstance(
                ca.getSubjectX500Principal().getEncoded()), caPair.getPrivate(), ca, usage,
                now.minus(Duration.ofHours(1)), now.plus(validity), host);
        store.setKeyEntry(alias, pair.getPrivate(), PASSWORD, new X509Certificate[] {cert, ca});
        described.add(cert.getSubjectX500Principal().getName() + " (" + pair.getPublic().getAlgorithm() + ", "
                + validityText + ")");
    }

    private static KeyStore keyStore() throws GeneralSecurityException, IOException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        return store;
    }

    private static KeyPair ecKeyPair() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        return generator.generateKeyPair();
    }

    private static KeyPair rsaKeyPair() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        return generator.generateKeyPair();
    }

    /** A CA certificate, or a TLS server certificate for {@code host} (and 127.0.0.1), or a client certificate. */
    private static X509Certificate sign(X500Name subject, PublicKey subjectKey, X500Name issuer, PrivateKey issuerKey,
            X509Certificate issuerCertificate, Usage usage, Instant notBefore, Instant notAfter, String host)
            throws GeneralSecurityException, IOException, OperatorCreationException {
        JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(issuer,
                new BigInteger(63, new SecureRandom()).add(BigInteger.ONE),
                Date.from(notBefore), Date.from(notAfter), subject, subjectKey);
        builder.addExtension(Extension.subjectKeyIdentifier, false,
                extensions.createSubjectKeyIdentifier(subjectKey));
        if (usage == Usage.CA) {
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        } else {
            builder.addExtension(Extension.authorityKeyIdentifier, false, issuerCertificate != null
                    ? extensions.createAuthorityKeyIdentifier(issuerCertificate)
                    : extensions.createAuthorityKeyIdentifier(subjectKey));
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            boolean rsa = subjectKey.getAlgorithm().equals("RSA");
            // An RSA key for ECDHE_RSA signs; for the (disabled) static RSA key exchange it would also encipher.
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(rsa
                    ? KeyUsage.digitalSignature | KeyUsage.keyEncipherment : KeyUsage.digitalSignature));
            builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(usage == Usage.SERVER
                    ? KeyPurposeId.id_kp_serverAuth : KeyPurposeId.id_kp_clientAuth));
            if (host != null) {
                builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(
                        host.equals("localhost")
                                ? new GeneralName[] {
                                    new GeneralName(GeneralName.dNSName, host),
                                    new GeneralName(GeneralName.iPAddress, "127.0.0.1")}
                                : new GeneralName[] {new GeneralName(GeneralName.dNSName, host)}));
            }
        }
        return new JcaX509CertificateConverter()
                .getCertificate(builder.build(new JcaContentSignerBuilder(CA_SIGNATURE).build(issuerKey)));
    }
}
