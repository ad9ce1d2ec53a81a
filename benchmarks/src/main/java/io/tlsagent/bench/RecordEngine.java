package io.tlsagent.bench;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.ReferenceCountedOpenSslEngine;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.tlsagent.testsupport.EnginePair;
import io.tlsagent.testsupport.RecordPump;
import io.tlsagent.testsupport.TestPki;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Provider;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManagerFactory;
import org.conscrypt.Conscrypt;

/**
 * The engines whose data path {@link RecordAllocation} measures, each an engine pair after a TLS 1.3 handshake,
 * made as their users make them: the JDK's (SunJSSE); Conscrypt's ({@code SSLContext.getInstance("TLS",
 * Conscrypt.newProvider())}); Netty's OpenSSL engine (BoringSSL from netty-tcnative, {@code SslContextBuilder...
 * sslProvider(OPENSSL).build().newEngine(alloc)}) with direct buffers, as Netty's {@code SslHandler} hands them; and
 * Netty's engine again opening each record through {@code unwrap(ByteBuffer[], ByteBuffer[])} (what
 * {@code SslHandler} does with a composite cumulation), an overload whose advice also runs at entry: from two source
 * buffers, and from twelve (a 16 KiB record in reads of about 1,400 bytes; more than the four start positions the
 * advice keeps on the stack). A provider's classes load only when its engine is made.
 */
enum RecordEngine {
    JDK("jdk"),
    CONSCRYPT("conscrypt"),
    NETTY("netty"),
    NETTY_SPLIT("netty-split", 2),
    NETTY_SPLIT12("netty-split12", 12);

    /** The name on the command line and in the results. */
    final String id;
    /** Source buffers per record of the multi-buffer unwrap; 0: the single-buffer one. */
    private final int sourceBuffers;

    RecordEngine(String id) {
        this(id, 0);
    }

    RecordEngine(String id, int sourceBuffers) {
        this.id = id;
        this.sourceBuffers = sourceBuffers;
    }

    static RecordEngine of(String id) {
        for (RecordEngine e : values()) {
            if (e.id.equals(id)) {
                return e;
            }
        }
        throw new IllegalArgumentException("no engine " + id + " (jdk, conscrypt, netty, netty-split,"
                + " netty-split12)");
    }

    /** A client and a server engine of this kind that have finished a TLS 1.3 handshake. */
    EnginePair handshaken(Pki pki) throws Exception {
        EnginePair pair;
        switch (this) {
            case JDK:
                pair = pki.pair("TLSv1.3", false);
                break;
            case CONSCRYPT:
                pair = conscrypt(pki);
                break;
            default:
                pair = netty(pki);
        }
        return pair.protocols("TLSv1.3").handshake();
    }

    /** Records through the pair as this engine's users pass them: Netty's in direct buffers. */
    Pump pump(EnginePair pair) throws SSLException {
        boolean netty = this != JDK && this != CONSCRYPT;
        RecordPump pump = new RecordPump(pair, netty, Math.max(sourceBuffers, 2));
        if (sourceBuffers > 0) {
            RecordPump.MultiBufferUnwrap server = ((ReferenceCountedOpenSslEngine) pair.server)::unwrap;
            return () -> pump.oneSplit(server);
        }
        return pump::one;
    }

    /** One record sealed and opened; returns the bytes opened. */
    @FunctionalInterface
    interface Pump {
        int one() throws SSLException;
    }

    private static EnginePair conscrypt(Pki pki) throws Exception {
        Provider conscrypt = Conscrypt.newProvider();
        SSLContext server = TestPki.context(pki.keys, KeyManagerFactory.getDefaultAlgorithm(), conscrypt);
        // Conscrypt's own trust manager: the JDK's rejects the auth type Conscrypt passes for TLS 1.3 ("GENERIC").
        KeyStore trusted = KeyStore.getInstance("PKCS12");
        trusted.load(null, null);
        trusted.setCertificateEntry("server", pki.certificate);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX", conscrypt);
        tmf.init(trusted);
        SSLContext client = SSLContext.getInstance("TLS", conscrypt);
        client.init(null, tmf.getTrustManagers(), null);
        return EnginePair.of(client, server);
    }

    private static EnginePair netty(Pki pki) throws Exception {
        OpenSsl.ensureAvailability();
        PrivateKey key = (PrivateKey) pki.keys.getKey(Pki.ALIAS, TestPki.PASSWORD.toCharArray());
        SslContext server = SslContextBuilder.forServer(key, pki.certificate).sslProvider(SslProvider.OPENSSL)
                .build();
        // No host name check: the client engine names no peer, as newEngine(alloc) makes it.
        SslContext client = SslContextBuilder.forClient().sslProvider(SslProvider.OPENSSL)
                .trustManager(pki.certificate).endpointIdentificationAlgorithm(null).build();
        return new EnginePair(client.newEngine(ByteBufAllocator.DEFAULT), server.newEngine(ByteBufAllocator.DEFAULT));
    }
}
