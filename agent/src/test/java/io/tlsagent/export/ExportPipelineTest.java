package io.tlsagent.export;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tlsagent.anatomy.AnatomyAssembler;
import io.tlsagent.export.meters.HandshakeCounts;
import io.tlsagent.export.prometheus.HandshakeMeters;
import io.tlsagent.record.Api;
import io.tlsagent.record.HandshakeCapture;
import io.tlsagent.record.HandshakeRecord;
import io.tlsagent.record.Resumption;
import io.tlsagent.record.Role;
import io.tlsagent.util.AgentErrors;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/** The pipeline with the real counts and histograms: what the handshake thread counts, what the export thread gets. */
class ExportPipelineTest {

    private final AgentErrors errors = new AgentErrors();
    private final HandshakeCounts counts = new HandshakeCounts();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final HandshakeMeters meters = new HandshakeMeters(counts);
    private final AnatomyAssembler anatomy = new AnatomyAssembler(new AnatomyAssembler.Options(true, true, 14));

    ExportPipelineTest() {
        meters.bindTo(registry);
    }

    private static HandshakeRecord record(int helloBytes) {
        return HandshakeRecord.builder().timestamp(Instant.EPOCH).role(Role.CLIENT).api(Api.SSL_ENGINE)
                .provider("SunJSSE").protocol("TLSv1.3").cipherSuite("TLS_AES_128_GCM_SHA256").resumed(false)
                .resumption(Resumption.NONE).durationNanos(1_000_000L)
                .capture(HandshakeCapture.builder().messagesSeen(true).clientHello(new byte[helloBytes]).build())
                .build();
    }

    private double handshakesTotal() {
        return registry.find("tls.handshakes").functionCounters().stream().mapToDouble(FunctionCounter::count).sum();
    }

    private long histogramCount() {
        return registry.find("tls.handshake.duration").timers().stream().mapToLong(Timer::count).sum();
    }

    @Test
    void theExportThreadCompletesEachRecordOnceBeforeItsExportersSeeIt() throws Exception {
        List<HandshakeRecord> seen = new CopyOnWriteArrayList<>();
        ExportPipeline pipeline = new ExportPipeline(counts, anatomy::complete, errors);
        pipeline.start(List.of(seen::add));
        HandshakeRecord raw = record(10);
        pipeline.accept(raw);
        pipeline.close(5000);

        assertThat(seen).hasSize(1);
        assertThat(seen.get(0).capture()).as("the raw capture is dropped once used").isNull();
        assertThat(seen.get(0).anatomy()).isNotNull();
        assertThat(seen.get(0).anatomy().parseErrors()).as("10 zero bytes are no ClientHello").isNotEmpty();
        assertThat(raw.anatomy()).as("the handshake thread's record is never changed").isNull();
        assertThat(errors.count()).isZero();
    }

    @Test
    void recordsMadeBeforeTheExportersStartWaitAndAreCompletedForThem() throws Exception {
        List<HandshakeRecord> seen = new CopyOnWriteArrayList<>();
        ExportPipeline pipeline = new ExportPipeline(counts, anatomy::complete, errors);
        pipeline.accept(record(10));
        pipeline.accept(record(10));
        assertThat(handshakesTotal()).as("counted at once, on the handshake's thread").isEqualTo(2);
        pipeline.start(List.of(meters, seen::add));
        pipeline.close(5000);

        assertThat(seen).hasSize(2).allSatisfy(r -> {
            assertThat(r.capture()).isNull();
            assertThat(r.anatomy()).isNotNull();
        });
        assertThat(histogramCount()).isEqualTo(2);
        assertThat(pipeline.dropped()).isZero();
    }

    @Test
    void aFullQueueDropsForTheExportersOnlyAndTheDifferenceIsTheDroppedCount() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger exported = new AtomicInteger();
        Exporter slow = r -> {
            await(release);
            exported.incrementAndGet();
        };
        // 100 KB of queue: records of about 11 KB (10 KB of hello, 1 KB for the rest) fit 9 at a time.
        ExportPipeline pipeline = new ExportPipeline(counts, anatomy::complete, errors, 1000, 100 * 1024);
        pipeline.start(List.of(meters, slow));
        for (int i = 0; i < 50; i++) {
            pipeline.accept(record(10 * 1024));
        }
        release.countDown();
        pipeline.close(10_000);

        assertThat(handshakesTotal()).as("counted exactly on the handshake threads").isEqualTo(50);
        assertThat(pipeline.dropped()).as("the queue is bounded in bytes").isBetween(30L, 41L);
        assertThat(exported.get()).isEqualTo(50 - (int) pipeline.dropped());
        assertThat((long) handshakesTotal() - histogramCount()).isEqualTo(pipeline.dropped());
    }

    @Test
    void anExportThreadThatDiesIsRestartedOnceAndLosesNoRecord() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        Exporter killer = r -> {
            if (calls.incrementAndGet() == 2) {
                throw new InternalError("injected");
            }
        };
        List<HandshakeRecord> after = new CopyOnWriteArrayList<>();
        ExportPipeline pipeline = new ExportPipeline(counts, anatomy::complete, errors);
        pipeline.start(List.of(meters, killer, after::add));
        for (int i = 0; i < 5; i++) {
            pipeline.accept(record(10));
        }
        awaitTrue(() -> after.size() == 5);
        pipeline.close(5000);

        assertThat(errors.count()).as("the failure is counted").isEqualTo(1);
        assertThat(histogramCount()).isEqualTo(5);
        assertThat(pipeline.dropped()).isZero();
    }

    @Test
    void anExportThreadThatDiesTwiceStaysStoppedAndTheCountsStayExact() throws Exception {
        Exporter killer = r -> {
            throw new InternalError("injected");
        };
        ExportPipeline pipeline = new ExportPipeline(counts, anatomy::complete, errors);
        pipeline.start(List.of(meters, killer));
        pipeline.accept(record(10));
        pipeline.accept(record(10));
        awaitTrue(() -> errors.count() == 2);
        for (int i = 0; i < 3; i++) {
            pipeline.accept(record(10));
        }
        pipeline.close(5000);

        assertThat(handshakesTotal()).isEqualTo(5);
        assertThat(histogramCount()).as("the two records it got before it died").isEqualTo(2);
        assertThat(pipeline.dropped()).isEqualTo(3);
        assertThat((long) handshakesTotal() - histogramCount()).isEqualTo(pipeline.dropped());
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void awaitTrue(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(condition.getAsBoolean()).isTrue();
    }
}
