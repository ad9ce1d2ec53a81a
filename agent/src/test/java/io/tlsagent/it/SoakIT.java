package io.tlsagent.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.tlsagent.testsupport.ForkedJvm;
import io.tlsagent.testsupport.Scrape;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Load: 64 threads doing handshakes through both APIs and both roles, and engines abandoned by the thousand. CI
 * runs the short version; {@code -Dtlsagent.soak.seconds=600 -Dtlsagent.abandon.count=100000} is the long one
 * (README, Hardening).
 */
class SoakIT {

    static final int SECONDS = Integer.getInteger("tlsagent.soak.seconds", 10);
    static final int THREADS = 64;
    static final int ABANDON = Integer.getInteger("tlsagent.abandon.count", 5_000);

    @TempDir
    Path dir;

    @Test
    void everyHandshakeIsRecordedExactlyOnceUnderLoad() throws Exception {
        try (ForkedJvm p = Forks.workload(dir, "--soak", Integer.toString(SECONDS), Integer.toString(THREADS), "--hold")
                .jvmArgs("-Xmx512m").start()) {
            p.awaitStdout("READY", SECONDS + 120);
            long sides = Long.parseLong(p.value("SOAK"));
            Thread.sleep(1500); // lines are written within a second
            Scrape scrape = p.scrape();
            assertThat(p.finish()).isZero();
            long records = p.countRecords();
            // Each thread does at least two rounds of four sides (Workload): a floor that no machine speed moves.
            assertThat(sides).as("handshakes made").isGreaterThanOrEqualTo(4L * THREADS);
            assertThat(records).as("one record per handshake and side").isEqualTo(sides);
            assertThat(scrape.sum("tls_handshakes_total")).isEqualTo((double) sides);
            assertThat(scrape.sum("tls_agent_errors_total")).isZero();
            assertThat(scrape.sum("tls_agent_log_dropped_total")).isZero();
            // What the histograms missed is what the export queue dropped (every soak handshake has a duration).
            assertThat(scrape.sum("tls_handshakes_total") - scrape.sum("tls_handshake_duration_seconds_count"))
                    .isEqualTo(scrape.sum("tls_agent_records_dropped_total"));
            assertThat(p.stderr()).filteredOn(l -> l.startsWith("[tls-agent]")).hasSize(1);
            List<Long> heap = heap(p.stdout());
            System.out.println("soak: " + SECONDS + " s, " + THREADS + " threads, " + sides + " handshake sides recorded"
                    + " exactly once; heap after GC " + heap.get(0) / 1024 + " KiB at the start, " + heap.get(1) / 1024
                    + " KiB at the end");
            // Heap after a full GC at the start and at the end: flat, give or take the JIT's and JSSE's caches.
            assertThat(heap.get(1)).as("heap after GC, end vs start " + heap)
                    .isLessThan(heap.get(0) + 64L * 1024 * 1024);
        }
    }

    @Test
    void abandonedEnginesLeaveNothingBehind() throws Exception {
        try (ForkedJvm p = Forks.workload(dir, "--abandon", Integer.toString(ABANDON), "--hold").jvmArgs("-Xmx256m")
                .start()) {
            p.awaitStdout("READY", 600);
            Scrape scrape = p.scrape();
            assertThat(p.finish()).isZero();
            // Dropped without a close or an exception: not reportable, and not kept (README, Known limits).
            assertThat(p.records().threadPrefix("abandon/")).isEmpty();
            assertThat(scrape.sum("tls_agent_tracked")).as("what the agent still follows").isLessThan(100.0);
            assertThat(scrape.sum("tls_agent_errors_total")).isZero();
        }
    }

    private static List<Long> heap(List<String> stdout) {
        List<Long> out = new ArrayList<>();
        stdout.stream().filter(l -> l.startsWith("HEAP ")).forEach(l -> out.add(Long.parseLong(l.substring(5))));
        assertThat(out).hasSize(2);
        return out;
    }
}
