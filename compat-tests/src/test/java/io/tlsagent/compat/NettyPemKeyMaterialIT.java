package io.tlsagent.compat;

import static org.assertj.core.api.Assertions.assertThat;

import io.tlsagent.compat.apps.NettyPemKeyMaterialApp;
import io.tlsagent.testsupport.ForkedJvm;
import io.tlsagent.testsupport.Scrape;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Netty's key material from PEM files ({@link NettyPemKeyMaterialApp}), for its OpenSSL engine and for the JDK's:
 * Netty turns it into a KeyManagerFactory (init(KeyStore, char[])), where the agent reads it, so both certificates
 * are in the expiry gauge as local_keystore before any connection. Tagged jdk with the other Netty OpenSSL test.
 */
@Tag("jdk")
class NettyPemKeyMaterialIT {

    /** The serial of the certificate built into Netty's OpenSsl class (io.netty.handler.ssl.OpenSsl). */
    private static final String NETTY_PROBE_SERIAL = "752BD03EFD500194";

    @TempDir
    Path dir;

    @Test
    void bothServersCertificatesBeforeAnyConnection() throws Exception {
        try (ForkedJvm jvm = ForkedJvm.builder(dir, NettyPemKeyMaterialApp.class).keepLogsAs("NettyPemKeyMaterialIT")
                .jvmArgs(EngineChecks.nativeAccess()).args(dir.toString()).start()) {
            jvm.awaitReady();
            assertThat(jvm.value("PROVIDERS")).as("the OpenSSL engine's context, and the JDK's")
                    .isEqualTo("OpenSslServerContext,JdkSslServerContext");
            Scrape scrape = jvm.scrapeOnceListening();
            Map<String, String> local = scrape.named("tls_certificate_expiry_timestamp_seconds").stream()
                    .filter(s -> s.labels.get("presented_by").equals("local_keystore"))
                    .collect(Collectors.toMap(s -> s.labels.get("serial"), s -> s.labels.get("subject")));
            // And Netty's own: its check of the OpenSSL engine's key manager support loads a built-in certificate
            // (CN=example.com, valid until 9999) into a KeyManagerFactory too. Valid: it never alerts.
            assertThat(local).isEqualTo(Map.of(jvm.value("SERIAL_OPENSSL"), "CN=netty-openssl",
                    jvm.value("SERIAL_JDK"), "CN=netty-jdk", NETTY_PROBE_SERIAL, "CN=example.com"));
            assertThat(scrape.sum("tls_local_certificates", l -> l.get("status").equals("expiring"))).isEqualTo(2);
            assertThat(scrape.sum("tls_local_certificates", l -> l.get("status").equals("valid"))).isEqualTo(1);
            assertThat(scrape.sum("tls_handshakes_total")).isZero();
        }
    }
}
