package io.tlsagent.compat.apps;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.tlsagent.testsupport.TestCertificates;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;

/**
 * Netty servers set up as their users write them, from PEM files: {@code SslContextBuilder.forServer(certFile,
 * keyFile)} for the OpenSSL engine and for the JDK's, each with a certificate of its own (made here, expiring in 9
 * and 11 days). No connection is made. Says {@code SERIAL_OPENSSL <hex>}, {@code SERIAL_JDK <hex>} (upper-case hex) and
 * {@code READY}, then waits for the end of its stdin.
 */
public final class NettyPemKeyMaterialApp {

    private NettyPemKeyMaterialApp() {}

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        File[] opensslPem = pem(dir, "openssl", 9, "SERIAL_OPENSSL");
        SslContext openssl = SslContextBuilder.forServer(opensslPem[0], opensslPem[1])
                .sslProvider(SslProvider.OPENSSL).build();
        File[] jdkPem = pem(dir, "jdk", 11, "SERIAL_JDK");
        SslContext jdk = SslContextBuilder.forServer(jdkPem[0], jdkPem[1]).sslProvider(SslProvider.JDK).build();
        System.out.println("PROVIDERS " + openssl.getClass().getSimpleName() + "," + jdk.getClass().getSimpleName());
        System.out.println("READY");
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).lines().count();
    }

    /** A self-signed certificate and its key as PEM files (the certificate's, the key's); says its serial. */
    private static File[] pem(Path dir, String name, int days, String say) throws Exception {
        KeyPair keys = TestCertificates.ec("secp256r1");
        Instant now = Instant.now();
        BigInteger serial = BigInteger.valueOf(now.toEpochMilli()).shiftLeft(8).add(BigInteger.valueOf(days));
        X509Certificate cert = TestCertificates.certificate("CN=netty-" + name, keys.getPublic(), "CN=netty-" + name,
                keys.getPrivate(), "SHA256withECDSA", serial, now.minus(Duration.ofHours(1)),
                now.plus(Duration.ofDays(days)), false, TestCertificates.dns("localhost"));
        Path certFile = dir.resolve(name + ".crt");
        Path keyFile = dir.resolve(name + ".key");
        Files.writeString(certFile, pem("CERTIFICATE", cert.getEncoded()));
        Files.writeString(keyFile, pem("PRIVATE KEY", keys.getPrivate().getEncoded()));
        System.out.println(say + " " + serial.toString(16).toUpperCase(java.util.Locale.ROOT));
        return new File[] {certFile.toFile(), keyFile.toFile()};
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }
}
