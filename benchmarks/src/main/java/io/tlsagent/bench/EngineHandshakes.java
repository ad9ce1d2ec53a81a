package io.tlsagent.bench;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Handshakes between two SSLEngines in memory: no network, so the JVM's own TLS work (and the agent's share of it)
 * is all there is. One operation is one complete handshake, i.e. two handshake sides (client and server), which
 * with the agent are two records.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class EngineHandshakes {

    private Pki pki;

    @Setup
    public void setup() throws Exception {
        pki = Pki.get();
        // TLS 1.3 resumption must really happen: a resumed server sends no Certificate (nor CertificateVerify).
        long full = pki.pair("TLSv1.3", true).handshake().serverBytes();
        long resumed = pki.pair("TLSv1.3", true).handshake().serverBytes();
        if (full - resumed < pki.certificate.getEncoded().length) {
            throw new IllegalStateException("TLS 1.3 did not resume: server sent " + resumed + " bytes, "
                    + full + " in the full handshake");
        }
    }

    @Benchmark
    public long tls13Full() throws Exception {
        return pki.pair("TLSv1.3", false).handshake().serverBytes();
    }

    @Benchmark
    public long tls13Resumed() throws Exception {
        return pki.pair("TLSv1.3", true).handshake().serverBytes();
    }

    @Benchmark
    public long tls12Full() throws Exception {
        return pki.pair("TLSv1.2", false).handshake().serverBytes();
    }
}
