package io.tlsagent.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tlsagent.testsupport.ForkedJvm;
import io.tlsagent.testsupport.Scrape;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /metrics} scraped by many concurrent clients ({@code wrk}, loopback, bounded in time) while handshakes run:
 * every scrape is answered with a 200, no more than the endpoint's pace allows, and every handshake is still recorded
 * exactly once. The handshakes' median duration with
 * and without the flood is printed for the record (never asserted: these machines are shared and noisy).
 */
class ScrapeFloodIT {

    private static final int FLOOD_SECONDS = 5;
    private static final int MAX_SCRAPES_PER_SECOND = 20; // MetricsEndpoint's

    @TempDir
    Path dir;

    @Test
    void scrapesAnsweredWhileHandshakesRun() throws Exception {
        long quiet = medianMicros(run(Files.createTempDirectory(dir, "quiet"), false));
        long flooded = medianMicros(run(Files.createTempDirectory(dir, "flood"), true));
        System.out.println("handshake median without scrapes: " + quiet + " us, under a scrape flood: " + flooded
                + " us");
    }

    private List<JsonNode> run(Path runDir, boolean flood) throws Exception {
        try (ForkedJvm p = Forks.workload(runDir, "--soak", "8", "8", "--hold").start()) {
            String wrk = "";
            if (flood) {
                awaitEndpoint(p);
                wrk = Openssl.run(List.of("wrk", "-t2", "-c32", "-d" + FLOOD_SECONDS + "s", "--timeout", "5s",
                        "http://127.0.0.1:" + p.metricsPort + "/metrics"), 0);
            }
            p.awaitStdout("READY", 120);
            long sides = Long.parseLong(p.value("SOAK"));
            Thread.sleep(1200);
            Scrape scrape = p.scrape();
            assertThat(p.finish()).isZero();
            List<JsonNode> records = p.records();
            assertThat((long) records.size()).isEqualTo(sides);
            assertThat(scrape.sum("tls_handshakes_total")).isEqualTo((double) sides);
            if (flood) {
                System.out.println(wrk);
                Matcher requests = Pattern.compile("(\\d+) requests in").matcher(wrk);
                assertThat(requests.find()).as(wrk).isTrue();
                // Paced: however hard wrk pushes, the endpoint answers at most 20 scrapes a second (plus the one
                // answered at once), so the flood costs the application what 20 scrapes a second cost.
                assertThat(Long.parseLong(requests.group(1))).as(wrk).isBetween(10L,
                        (long) FLOOD_SECONDS * MAX_SCRAPES_PER_SECOND + 2);
                assertThat(wrk).as("every scrape answered, and with 200").doesNotContain("Socket errors")
                        .doesNotContain("Non-2xx");
            }
            return records;
        }
    }

    private static void awaitEndpoint(ForkedJvm p) throws Exception {
        for (int i = 0; i < 300; i++) {
            try {
                p.scrape();
                return;
            } catch (java.io.IOException notYet) {
                Thread.sleep(100);
            }
        }
        throw new AssertionError("the endpoint did not come up");
    }

    private static long medianMicros(List<JsonNode> records) {
        List<Long> durations = new ArrayList<>();
        for (JsonNode r : records) {
            JsonNode d = r.at("/event/duration");
            if (!d.isMissingNode()) {
                durations.add(d.asLong() / 1000);
            }
        }
        Collections.sort(durations);
        return durations.get(durations.size() / 2);
    }
}
