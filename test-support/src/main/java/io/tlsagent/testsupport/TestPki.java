package io.tlsagent.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.net.Socket;
import java.security.Principal;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * The tests' certificates: a CA ({@value #CA_SUBJECT}), a server certificate for {@code localhost} and
 * {@code 127.0.0.1} signed by it ({@value #SERVER_SUBJECT}), and a self-signed one for {@code untrusted.test} (and
 * {@code 127.0.0.1}) that nobody trusts ({@value #UNTRUSTED_SUBJECT}); EC P-256 keys, valid from an hour ago for
 * {@value #VALIDITY_DAYS} days. Made with Bouncy Castle ({@link TestCertificates}); {@link #save} writes them in the
 * forms Java programs, servers (Jetty, Tomcat, the agent's own endpoint) and openssl read, and {@link #load} reads
 * them back with the JDK alone, in a forked program. Each context method makes a new {@link SSLContext}, so each
 * client has a session cache of its own.
 */
public final class TestPki {

    /** Of every keystore and key {@link #save} writes. */
    public static final String PASSWORD = "changeit";
    /** The names as the agent writes them (RFC 2253: the last RDN first). */
    public static final String CA_SUBJECT = "CN=tls-agent test CA";
    public static final String SERVER_SUBJECT = "O=tls-agent tests,CN=localhost";
    public static final String UNTRUSTED_SUBJECT = "CN=untrusted.test";
    public static final int VALIDITY_DAYS = 30;

    /** PKCS12 with all three keys (aliases ca, server, untrusted): what {@link #load} reads. */
    public static final String ALL_KEYS = "pki.p12";
    /** PKCS12 with only the server's key and chain (alias {@value #SERVER_ALIAS}): a server that must pick that key. */
    public static final String SERVER_KEYSTORE = "server.p12";
    public static final String SERVER_ALIAS = "server";
    /** PEM for openssl: the server's chain, its key (PKCS#8), the CA certificate. */
    public static final String SERVER_PEM = "server.pem";
    public static final String SERVER_KEY_PEM = "server-key.pem";
    public static final String CA_PEM = "ca.pem";
    /** The CA certificate, DER. */
    public static final String CA_DER = "ca.der";

    private static final char[] PASSWORD_CHARS = PASSWORD.toCharArray();

    public final KeyPair caKeys;
    public final X509Certificate ca;
    public final KeyPair serverKeys;
    public final X509Certificate server;
    public final KeyPair untrustedKeys;
    public final X509Certificate untrusted;

    private TestPki(KeyPair caKeys, X509Certificate ca, KeyPair serverKeys, X509Certificate server,
            KeyPair untrustedKeys, X509Certificate untrusted) {
        this.caKeys = caKeys;
        this.ca = ca;
        this.serverKeys = serverKeys;
        this.server = server;
        this.untrustedKeys = untrustedKeys;
        this.untrusted = untrusted;
    }

    /** New keys and certificates (a few milliseconds: EC keys). */
    public static TestPki create() throws GeneralSecurityException {
        Instant notBefore = Instant.now().minus(Duration.ofHours(1));
        Instant notAfter = notBefore.plus(Duration.ofHours(1)).plus(Duration.ofDays(VALIDITY_DAYS));
        KeyPair caKeys = TestCertificates.ec("secp256r1");
        X509Certificate ca = TestCertificates.certificate(CA_SUBJECT, caKeys.getPublic(), CA_SUBJECT,
                caKeys.getPrivate(), "SHA256withECDSA", serial(), notBefore, notAfter, true);
        KeyPair serverKeys = TestCertificates.ec("secp256r1");
        X509Certificate server = TestCertificates.certificate("CN=localhost,O=tls-agent tests",
                serverKeys.getPublic(), CA_SUBJECT, caKeys.getPrivate(), "SHA256withECDSA", serial(), notBefore,
                notAfter, false, TestCertificates.dns("localhost"), TestCertificates.ip("127.0.0.1"));
        KeyPair untrustedKeys = TestCertificates.ec("secp256r1");
        X509Certificate untrusted = TestCertificates.certificate(UNTRUSTED_SUBJECT, untrustedKeys.getPublic(),
                UNTRUSTED_SUBJECT, untrustedKeys.getPrivate(), "SHA256withECDSA", serial(), notBefore, notAfter,
                false, TestCertificates.dns("untrusted.test"), TestCertificates.ip("127.0.0.1"));
        return new TestPki(caKeys, ca, serverKeys, server, untrustedKeys, untrusted);
    }

    /** {@link #create()}, then {@link #save} into {@code dir}. */
    public static TestPki createIn(Path dir) throws IOException, GeneralSecurityException {
        TestPki pki = create();
        pki.save(dir);
        return pki;
    }

    private static BigInteger serial() {
        return new BigInteger(64, new SecureRandom()).add(BigInteger.ONE);
    }

    /**
     * Writes into {@code dir}: {@value #ALL_KEYS} (for {@link #load}), {@value #SERVER_KEYSTORE}, {@value #SERVER_PEM},
     * {@value #SERVER_KEY_PEM}, {@value #CA_PEM} and {@value #CA_DER}.
     */
    public void save(Path dir) throws IOException, GeneralSecurityException {
        KeyStore all = KeyStore.getInstance("PKCS12");
        all.load(null, null);
        all.setKeyEntry("ca", caKeys.getPrivate(), PASSWORD_CHARS, new X509Certificate[] {ca});
        all.setKeyEntry(SERVER_ALIAS, serverKeys.getPrivate(), PASSWORD_CHARS, new X509Certificate[] {server, ca});
        all.setKeyEntry("untrusted", untrustedKeys.getPrivate(), PASSWORD_CHARS, new X509Certificate[] {untrusted});
        store(all, dir.resolve(ALL_KEYS));
        store(keyStore(SERVER_ALIAS, serverKeys.getPrivate(), server, ca), dir.resolve(SERVER_KEYSTORE));
        Files.writeString(dir.resolve(SERVER_PEM), pem("CERTIFICATE", server.getEncoded())
                + pem("CERTIFICATE", ca.getEncoded()));
        Files.writeString(dir.resolve(SERVER_KEY_PEM), pem("PRIVATE KEY", serverKeys.getPrivate().getEncoded()));
        Files.writeString(dir.resolve(CA_PEM), pem("CERTIFICATE", ca.getEncoded()));
        Files.write(dir.resolve(CA_DER), ca.getEncoded());
    }

    /** What {@link #save} wrote to {@code dir}, read with the JDK alone. */
    public static TestPki load(Path dir) throws IOException, GeneralSecurityException {
        KeyStore all = loadKeyStore(dir.resolve(ALL_KEYS));
        return new TestPki(pair(all, "ca"), (X509Certificate) all.getCertificate("ca"), pair(all, SERVER_ALIAS),
                (X509Certificate) all.getCertificate(SERVER_ALIAS), pair(all, "untrusted"),
                (X509Certificate) all.getCertificate("untrusted"));
    }

    private static KeyPair pair(KeyStore ks, String alias) throws GeneralSecurityException {
        return new KeyPair(ks.getCertificate(alias).getPublicKey(), (PrivateKey) ks.getKey(alias, PASSWORD_CHARS));
    }

    /** A server presenting the CA-signed certificate (with the CA), trusting the CA (for client certificates). */
    public SSLContext serverContext() throws GeneralSecurityException {
        return context(keyStore(SERVER_ALIAS, serverKeys.getPrivate(), server, ca), "PKIX", null, ca);
    }

    /**
     * A server like {@link #serverContext()} that takes {@code millis} to choose its key: a slow handshake on both
     * sides (JFR thresholds).
     */
    public SSLContext slowServerContext(long millis) throws GeneralSecurityException {
        KeyManagerFactory kmf = KeyManagerFactory.getInstance("PKIX");
        kmf.init(keyStore(SERVER_ALIAS, serverKeys.getPrivate(), server, ca), PASSWORD_CHARS);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(new KeyManager[] {new SlowKeys((X509ExtendedKeyManager) kmf.getKeyManagers()[0], millis)}, null,
                null);
        return ctx;
    }

    /** A server presenting the self-signed certificate nobody trusts. */
    public SSLContext untrustedServerContext() throws GeneralSecurityException {
        return context(keyStore("untrusted", untrustedKeys.getPrivate(), untrusted), "PKIX", null, ca);
    }

    /** A client trusting the CA, without a certificate of its own. */
    public SSLContext clientContext() throws GeneralSecurityException {
        return context(null, null, null, ca);
    }

    /** A client of another TLS implementation ({@code provider}: Bouncy Castle's JSSE, ...) trusting the CA. */
    public SSLContext clientContext(Provider provider) throws GeneralSecurityException {
        return context(null, null, provider, ca);
    }

    /** The server certificate's SHA-256 as the agent writes it. */
    public String serverSha256() throws GeneralSecurityException {
        return sha256(server);
    }

    // ---- building blocks, for contexts the three certificates above do not cover

    /**
     * A new context of {@code provider} (null: the JDK's default), presenting the key in {@code keys} (null: none)
     * through a {@code keyManagerAlgorithm} key manager ({@code PKIX}, {@code SunX509}), trusting {@code trusted}
     * through a PKIX trust manager (none given: the JDK's default trust).
     */
    public static SSLContext context(KeyStore keys, String keyManagerAlgorithm, Provider provider,
            X509Certificate... trusted) throws GeneralSecurityException {
        KeyManagerFactory kmf = null;
        if (keys != null) {
            kmf = KeyManagerFactory.getInstance(keyManagerAlgorithm);
            kmf.init(keys, PASSWORD_CHARS);
        }
        TrustManagerFactory tmf = null;
        if (trusted.length > 0) {
            KeyStore trust = emptyKeyStore();
            for (int i = 0; i < trusted.length; i++) {
                trust.setCertificateEntry("trusted-" + i, trusted[i]);
            }
            tmf = TrustManagerFactory.getInstance("PKIX");
            tmf.init(trust);
        }
        SSLContext ctx = provider == null ? SSLContext.getInstance("TLS") : SSLContext.getInstance("TLS", provider);
        ctx.init(kmf == null ? null : kmf.getKeyManagers(), tmf == null ? null : tmf.getTrustManagers(), null);
        return ctx;
    }

    /** A PKCS12 keystore in memory: one key and its chain under {@code alias}, protected by {@link #PASSWORD}. */
    public static KeyStore keyStore(String alias, PrivateKey key, X509Certificate... chain)
            throws GeneralSecurityException {
        KeyStore ks = emptyKeyStore();
        ks.setKeyEntry(alias, key, PASSWORD_CHARS, chain);
        return ks;
    }

    /** Writes {@code keys} to {@code file}, protected by {@link #PASSWORD}. */
    public static void store(KeyStore keys, Path file) throws IOException, GeneralSecurityException {
        try (OutputStream out = Files.newOutputStream(file)) {
            keys.store(out, PASSWORD_CHARS);
        }
    }

    /** A PKCS12 file protected by {@link #PASSWORD}. */
    public static KeyStore loadKeyStore(Path file) throws IOException, GeneralSecurityException {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(file)) {
            ks.load(in, PASSWORD_CHARS);
        }
        return ks;
    }

    /** A certificate's SHA-256 as the agent writes it: 64 upper-case hex digits. */
    public static String sha256(X509Certificate certificate) throws GeneralSecurityException {
        return String.format("%064X",
                new BigInteger(1, MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded())));
    }

    private static KeyStore emptyKeyStore() throws GeneralSecurityException {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try {
            ks.load(null, null);
        } catch (IOException cannotHappen) {
            throw new GeneralSecurityException(cannotHappen);
        }
        return ks;
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der) + "\n-----END " + type + "-----\n";
    }

    /** A key manager that takes its time to choose the server's key (for SSLEngine and SSLSocket servers alike). */
    private static final class SlowKeys extends X509ExtendedKeyManager {
        private final X509ExtendedKeyManager keys;
        private final long millis;

        SlowKeys(X509ExtendedKeyManager keys, long millis) {
            this.keys = keys;
            this.millis = millis;
        }

        private void pause() {
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
            pause();
            return keys.chooseEngineServerAlias(keyType, issuers, engine);
        }

        @Override
        public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
            pause();
            return keys.chooseServerAlias(keyType, issuers, socket);
        }

        @Override
        public String[] getClientAliases(String keyType, Principal[] issuers) {
            return keys.getClientAliases(keyType, issuers);
        }

        @Override
        public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
            return keys.chooseClientAlias(keyType, issuers, socket);
        }

        @Override
        public String[] getServerAliases(String keyType, Principal[] issuers) {
            return keys.getServerAliases(keyType, issuers);
        }

        @Override
        public X509Certificate[] getCertificateChain(String alias) {
            return keys.getCertificateChain(alias);
        }

        @Override
        public PrivateKey getPrivateKey(String alias) {
            return keys.getPrivateKey(alias);
        }
    }
}
