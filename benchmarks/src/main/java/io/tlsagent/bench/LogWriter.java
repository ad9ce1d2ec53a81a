package io.tlsagent.bench;

import io.tlsagent.anatomy.AnatomyAssembler;
import io.tlsagent.config.AgentConfig;
import io.tlsagent.export.log.JsonLog;
import io.tlsagent.export.log.LogSink;
import io.tlsagent.record.Api;
import io.tlsagent.record.HandshakeCapture;
import io.tlsagent.record.HandshakeMessage;
import io.tlsagent.record.HandshakeRecord;
import io.tlsagent.record.Resumption;
import io.tlsagent.record.Role;
import io.tlsagent.testsupport.EnginePair;
import io.tlsagent.util.AgentErrors;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The JSON log's writer thread: how many lines a second it formats and writes to a file. The benchmark thread
 * keeps the queue between 4,000 and 5,000 records (never full, never empty), so the score (operations = lines) is
 * the writer's sustained rate. The record is a full one: a real ClientHello with JA3 and JA4, a certificate chain;
 * {@code detail=summary} writes it as the summary line the default log writes for every handshake but the first
 * of its kind, {@code full} as the whole anatomy.
 * Runs with {@code -javaagent:tls-agent.jar=enabled=false}: the agent's classes come from the shipped jar, and the
 * agent itself stays off.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class LogWriter {

    static final int BATCH = 1000;
    static final int HIGH_WATER = 4000;

    @Param({"summary", "full"})
    public String detail;

    private Path file;
    private JsonLog log;
    private HandshakeRecord record;
    private long offered;

    @Setup
    public void setup() throws Exception {
        file = Files.createTempFile("tls-agent-log-bench", ".jsonl");
        AgentConfig config = AgentConfig.load("log=file:" + file + ",log_detail=" + detail, new Properties(), Map.of());
        log = new JsonLog(LogSink.of(config), "log-bench", new AgentErrors(), config.logDetail(),
                config.logFullEveryMillis());
        record = realisticRecord();
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void lines() {
        for (int i = 0; i < BATCH; i++) {
            log.export(record);
        }
        offered += BATCH;
        while (log.pending() > HIGH_WATER) {
            LockSupport.parkNanos(50_000);
        }
    }

    @TearDown
    public void tearDown() throws Exception {
        log.close(120_000);
        long written;
        try (java.util.stream.Stream<String> lines = Files.lines(file)) {
            written = lines.count();
        }
        Files.deleteIfExists(file);
        // The score counts lines offered: it is the writer's rate only if every one was written.
        if (log.dropped() != 0 || written != offered) {
            throw new IllegalStateException("offered " + offered + " lines, wrote " + written + ", dropped "
                    + log.dropped());
        }
    }

    /**
     * A record as the export thread completes it for a TLS 1.3 client handshake: a real ClientHello (JA3, JA4) and
     * the server's certificate, anatomy made by the agent's own code.
     */
    static HandshakeRecord realisticRecord() throws Exception {
        Pki pki = Pki.get();
        ByteBuffer helloRecord = ByteBuffer.wrap(EnginePair.firstClientFlight(pki.pair("TLSv1.3", false).client));
        // record header (5 bytes), handshake header (4 bytes), then the ClientHello body
        byte[] body = new byte[helloRecord.remaining() - 9];
        ByteBuffer b = helloRecord.duplicate();
        b.position(b.position() + 9);
        b.get(body);
        HandshakeRecord raw = HandshakeRecord.builder()
                .timestamp(Instant.now())
                .role(Role.CLIENT)
                .api(Api.SSL_SOCKET)
                .provider("SunJSSE")
                .protocol("TLSv1.3")
                .cipherSuite("TLS_AES_256_GCM_SHA384")
                .resumed(false)
                .resumption(Resumption.NONE)
                .durationNanos(2_345_678L)
                .peerAddress("127.0.0.1")
                .peerPort(8443)
                .localAddress("127.0.0.1")
                .localPort(53124)
                .serverName("orders.internal.example")
                .applicationProtocol("h2")
                .namedGroup("x25519")
                .threadName("http-client-worker-7")
                .messages(List.of(new HandshakeMessage("client_hello", true, 0),
                        new HandshakeMessage("server_hello", false, 410),
                        new HandshakeMessage("encrypted_extensions", false, 415),
                        new HandshakeMessage("certificate", false, 420),
                        new HandshakeMessage("certificate_verify", false, 900),
                        new HandshakeMessage("finished", false, 1200),
                        new HandshakeMessage("finished", true, 1500)))
                .capture(HandshakeCapture.builder().messagesSeen(true).clientHello(body)
                        .sessionPeerCertificates(List.of(pki.certificate)).trustCheck(850_000L, false)
                        .localSignatureScheme(null).build())
                .build();
        return new AnatomyAssembler(new AnatomyAssembler.Options(true, true, 14)).complete(raw);
    }
}
