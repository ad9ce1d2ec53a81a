package io.tlsagent.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.tlsagent.testsupport.ForkedJvm;
import io.tlsagent.testsupport.Scrape;
import io.tlsagent.testsupport.TestCertificates;
import java.io.OutputStream;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import javax.security.auth.x500.X500Principal;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * This JVM's own certificates, seen when the application loads them, before any handshake: a key store holding a
 * certificate that expires in 5 days, one that has expired and one not yet valid (and a CA, and a stray certificate
 * entry that is no key material), given to KeyManagerFactory.init explicitly or through the JDK's default context
 * ({@code -Djavax.net.ssl.keyStore}, {@code SSLContext.getDefault()}); trust anchors only with
 * {@code trust_store_inventory=true}; the JDK's cacerts as jdk_truststore, read here from the forked JDK's own file.
 * Tagged jdk: the default context is built by each JDK's SunJSSE.
 */
@Tag("jdk")
class LocalCertificatesIT {

    private static final String EXPIRY = "tls_certificate_expiry_timestamp_seconds";
    private static final String STATUS = "tls_local_certificates";
    private static final char[] PASSWORD = "changeit".toCharArray();

    @TempDir
    static Path dir;

    private static X509Certificate ca;
    private static X509Certificate fiveDays;
    private static X509Certificate expired;
    private static X509Certificate notYetValid;
    private static X509Certificate stray;
    private static X509Certificate partner;

    @BeforeAll
    static void keyStores() throws Exception {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        KeyPair caKeys = TestCertificates.ec("secp256r1");
        ca = TestCertificates.certificate("CN=local CA", caKeys.getPublic(), "CN=local CA", caKeys.getPrivate(),
                "SHA256withECDSA", serial(), now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(365)), true);
        KeyPair fiveKeys = TestCertificates.ec("secp256r1");
        fiveDays = TestCertificates.certificate("CN=five-days", fiveKeys.getPublic(), "CN=local CA",
                caKeys.getPrivate(), "SHA256withECDSA", serial(), now.minus(Duration.ofDays(1)),
                now.plus(Duration.ofDays(5)), false);
        KeyPair expiredKeys = TestCertificates.ec("secp256r1");
        expired = selfSigned("CN=expired", expiredKeys, now.minus(Duration.ofDays(30)), now.minus(Duration.ofDays(1)));
        KeyPair futureKeys = TestCertificates.ec("secp256r1");
        notYetValid = selfSigned("CN=not-yet-valid", futureKeys, now.plus(Duration.ofDays(2)),
                now.plus(Duration.ofDays(100)));
        stray = selfSigned("CN=stray", TestCertificates.ec("secp256r1"), now.minus(Duration.ofDays(1)),
                now.plus(Duration.ofDays(3)));
        partner = selfSigned("CN=partner root", TestCertificates.ec("secp256r1"), now.minus(Duration.ofDays(1)),
                now.plus(Duration.ofDays(200)));

        KeyStore keys = empty();
        keys.setKeyEntry("five-days", fiveKeys.getPrivate(), PASSWORD, new X509Certificate[] {fiveDays, ca});
        keys.setKeyEntry("expired", expiredKeys.getPrivate(), PASSWORD, new X509Certificate[] {expired});
        keys.setKeyEntry("not-yet-valid", futureKeys.getPrivate(), PASSWORD, new X509Certificate[] {notYetValid});
        keys.setCertificateEntry("stray", stray); // not key material: no KeyManager uses it
        save(keys, "keystore.p12");
        KeyStore server = empty();
        server.setKeyEntry("five-days", fiveKeys.getPrivate(), PASSWORD, new X509Certificate[] {fiveDays, ca});
        save(server, "server.p12");
        KeyStore trust = empty();
        trust.setCertificateEntry("ca", ca);
        trust.setCertificateEntry("partner", partner);
        save(trust, "truststore.p12");
    }

    /**
     * The test: right after SSLContext.init, before any handshake, the key entries' certificates (leaf and
     * chain, the stray certificate entry left out) with their not_after and status; no trust anchor, neither the
     * application's nor the JDK's, without trust_store_inventory. Then one handshake presenting the 5-day certificate:
     * certificate_expiring for the server (its own chain) and for the client (its peer's).
     */
    @Test
    void keyEntriesRightAfterInitAndNoTrustAnchorsUnlessAsked() throws Exception {
        try (ForkedJvm p = start("", List.of(), "explicit", path("keystore.p12"), path("truststore.p12"),
                "no-trust", path("keystore.p12"))) {
            Scrape s = p.scrapeOnceListening();
            assertThat(s.sum("tls_handshakes_total")).as("before any handshake").isZero();
            assertThat(expiries(s, "local_keystore")).isEqualTo(Map.of(
                    key(fiveDays), notAfter(fiveDays), key(ca), notAfter(ca),
                    key(expired), notAfter(expired), key(notYetValid), notAfter(notYetValid)));
            assertThat(presentedBy(s)).containsExactly("local_keystore");
            assertThat(statuses(s)).isEqualTo(Map.of("local_keystore/valid", 1.0, "local_keystore/expiring", 1.0,
                    "local_keystore/expired", 1.0, "local_keystore/not_yet_valid", 1.0));

            p.step("handshake " + path("server.p12"));
            Scrape after = awaitScrape(p, sc -> findings(sc, "server") == 1 && findings(sc, "client") == 1);
            assertThat(findings(after, "server")).as("the server's own chain").isEqualTo(1);
            assertThat(findings(after, "client")).as("the client's peer chain").isEqualTo(1);
            assertThat(expiries(after, "local_keystore")).hasSize(4);
        }
    }

    /** With trust_store_inventory: the application's trust store, and the JDK's own roots as jdk_truststore. */
    @Test
    void trustStoreInventoryAddsTheApplicationsAnchorsAndTheJdksRootsApart() throws Exception {
        try (ForkedJvm p = start("trust_store_inventory=true", List.of(), "explicit", path("keystore.p12"),
                path("truststore.p12"), "no-trust", path("keystore.p12"))) {
            Scrape s = p.scrapeOnceListening();
            assertThat(expiries(s, "local_keystore")).hasSize(4);
            assertThat(expiries(s, "local_truststore")).isEqualTo(Map.of(key(ca), notAfter(ca),
                    key(partner), notAfter(partner)));
            assertThat(statuses(s)).containsEntry("local_truststore/valid", 2.0)
                    .containsEntry("local_truststore/expiring", 0.0);
            Map<String, Double> roots = cacerts();
            assertThat(roots).hasSizeGreaterThan(50);
            assertThat(expiries(s, "jdk_truststore")).isEqualTo(roots);
            double jdkStatuses = s.sum(STATUS, l -> l.get("source").equals("jdk_truststore"));
            assertThat(jdkStatuses).isEqualTo(roots.size());
        }
    }

    /** SSLContext.getDefault(): the key store of -Djavax.net.ssl.keyStore, and (asked) that of -D...trustStore. */
    @Test
    void theDefaultContextsKeyAndTrustStores() throws Exception {
        List<String> properties = List.of("-Djavax.net.ssl.keyStore=" + path("keystore.p12"),
                "-Djavax.net.ssl.keyStorePassword=changeit", "-Djavax.net.ssl.keyStoreType=PKCS12",
                "-Djavax.net.ssl.trustStore=" + path("truststore.p12"),
                "-Djavax.net.ssl.trustStorePassword=changeit", "-Djavax.net.ssl.trustStoreType=PKCS12");
        try (ForkedJvm p = start("trust_store_inventory=true", properties, "default")) {
            Scrape s = p.scrapeOnceListening();
            assertThat(s.sum("tls_handshakes_total")).isZero();
            assertThat(expiries(s, "local_keystore")).isEqualTo(Map.of(
                    key(fiveDays), notAfter(fiveDays), key(ca), notAfter(ca),
                    key(expired), notAfter(expired), key(notYetValid), notAfter(notYetValid)));
            assertThat(expiries(s, "local_truststore")).isEqualTo(Map.of(key(ca), notAfter(ca),
                    key(partner), notAfter(partner)));
            assertThat(presentedBy(s)).containsExactlyInAnyOrder("local_keystore", "local_truststore");
        }
    }

    // ---- the forked JVM

    private static ForkedJvm start(String agentArgs, List<String> jvmArgs, String... steps) throws Exception {
        Path runDir = Files.createTempDirectory(dir, "run");
        ForkedJvm p = ForkedJvm.builder(runDir, KeyMaterialProgram.class).classPath(Forks.classPath())
                .agentArgs(agentArgs).jvmArgs(jvmArgs).args(steps).start();
        p.awaitStdout("INITIALISED", 90);
        return p;
    }

    private static Scrape awaitScrape(ForkedJvm p, java.util.function.Predicate<Scrape> done) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        Scrape s = p.scrape();
        while (!done.test(s) && System.nanoTime() < deadline) {
            Thread.sleep(250);
            s = p.scrape();
        }
        return s;
    }

    // ---- reading the scrape

    /** subject|serial -> value of the expiry gauge's series presented_by {@code presentedBy}. */
    private static Map<String, Double> expiries(Scrape s, String presentedBy) {
        Map<String, Double> out = new HashMap<>();
        for (Scrape.Sample sample : s.named(EXPIRY)) {
            if (sample.labels.get("presented_by").equals(presentedBy)) {
                assertThat(out.put(sample.labels.get("subject") + "|" + sample.labels.get("serial"), sample.value)).as("one series per certificate")
                        .isNull();
            }
        }
        return out;
    }

    private static Set<String> presentedBy(Scrape s) {
        return s.named(EXPIRY).stream().map(x -> x.labels.get("presented_by")).collect(Collectors.toSet());
    }

    /** source/status -> value of the status gauge. */
    private static Map<String, Double> statuses(Scrape s) {
        return s.named(STATUS).stream().collect(Collectors.toMap(
                x -> x.labels.get("source") + "/" + x.labels.get("status"), x -> x.value));
    }

    private static double findings(Scrape s, String role) {
        return s.sum("tls_handshake_findings_total",
                l -> l.get("role").equals(role) && l.get("finding").equals("certificate_expiring"));
    }

    // ---- certificates

    /** The forked JDK's cacerts, read here: subject|serial -> not_after, of its trusted certificate entries. */
    private static Map<String, Double> cacerts() throws Exception {
        Path javaHome = Path.of(ForkedJvm.java()).toRealPath().getParent().getParent();
        KeyStore ks = KeyStore.getInstance(javaHome.resolve("lib/security/cacerts").toFile(), PASSWORD);
        Map<String, Double> out = new HashMap<>();
        for (String alias : Collections.list(ks.aliases())) {
            if (ks.isCertificateEntry(alias)) {
                X509Certificate c = (X509Certificate) ks.getCertificate(alias);
                out.put(key(c), notAfter(c));
            }
        }
        return out;
    }

    /** What the series of {@code c} is known by here: its subject (RFC 2253, at most 256 characters) and serial. */
    private static String key(X509Certificate c) {
        String subject = c.getSubjectX500Principal().getName(X500Principal.RFC2253);
        return (subject.length() > 256 ? subject.substring(0, 256) : subject) + "|"
                + c.getSerialNumber().toString(16).toUpperCase(Locale.ROOT);
    }

    private static double notAfter(X509Certificate c) {
        return c.getNotAfter().toInstant().getEpochSecond();
    }

    private static X509Certificate selfSigned(String subject, KeyPair keys, Instant notBefore, Instant notAfter)
            throws Exception {
        return TestCertificates.certificate(subject, keys.getPublic(), subject, keys.getPrivate(), "SHA256withECDSA",
                serial(), notBefore, notAfter, true);
    }

    private static BigInteger serial() {
        return new BigInteger(64, new java.security.SecureRandom()).add(BigInteger.ONE);
    }

    private static KeyStore empty() throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        return ks;
    }

    private static void save(KeyStore ks, String name) throws Exception {
        try (OutputStream out = Files.newOutputStream(dir.resolve(name))) {
            ks.store(out, PASSWORD);
        }
    }

    private static String path(String name) {
        return dir.resolve(name).toString();
    }
}
