package io.tlsagent.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The adapter against Micrometer 1.9 (the version it is compiled against; the compat-tests run it against the
 * applications' own versions): meters go into each registry of the global registry, not into the composite.
 */
class MicrometerAdapterTest {

    private static final String[] TAGS = {"role", "client", "result", "success"};
    private final MicrometerAdapter adapter = new MicrometerAdapter(new long[] {1_000_000, 10_000_000});
    private final LongAdder count = new LongAdder();

    @AfterEach
    void emptyTheGlobalRegistry() {
        adapter.close();
        for (Object r : Metrics.globalRegistry.getRegistries().toArray()) {
            Metrics.removeRegistry((io.micrometer.core.instrument.MeterRegistry) r);
        }
    }

    @Test
    void functionCountersReachRegistriesAddedLaterAndReadTheCountsExactly() {
        SimpleMeterRegistry early = new SimpleMeterRegistry();
        Metrics.addRegistry(early);
        adapter.refresh();
        adapter.functionCounter("tls.handshakes", "d", TAGS, count, LongAdder::sum);
        count.add(3);

        SimpleMeterRegistry late = new SimpleMeterRegistry();
        CompositeMeterRegistry nested = new CompositeMeterRegistry();
        nested.add(late);
        nested.add(early); // reachable twice: one meter each
        Metrics.addRegistry(nested);
        assertThat(adapter.refresh()).isEmpty();

        assertThat(adapter.registries()).isEqualTo(2);
        for (SimpleMeterRegistry r : List.of(early, late)) {
            assertThat(r.get("tls.handshakes").tags(TAGS).functionCounter().count()).isEqualTo(3.0);
        }
        assertThat(Metrics.globalRegistry.find("tls.handshakes").meters()).as("nothing in the composite").isEmpty();
    }

    @Test
    void timersAndCountersAreRecordedInEachRegistry() {
        SimpleMeterRegistry a = new SimpleMeterRegistry();
        SimpleMeterRegistry b = new SimpleMeterRegistry();
        Metrics.addRegistry(a);
        Metrics.addRegistry(b);
        adapter.refresh();
        adapter.record("tls.handshake.duration", "d", TAGS, 5_000_000);
        adapter.record("tls.handshake.duration", "d", TAGS, 7_000_000);
        adapter.increment("tls.handshake.findings", "d", new String[] {"role", "client", "finding", "cbc_cipher"});
        for (SimpleMeterRegistry r : List.of(a, b)) {
            assertThat(r.get("tls.handshake.duration").tags(TAGS).timer().count()).isEqualTo(2);
            assertThat(r.get("tls.handshake.findings").counter().count()).isEqualTo(1.0);
        }
    }

    @Test
    void aDenyingFilterIsRespectedAndSaidOnce() {
        SimpleMeterRegistry denying = new SimpleMeterRegistry();
        denying.config().meterFilter(MeterFilter.denyNameStartsWith("tls"));
        Metrics.addRegistry(denying);
        adapter.refresh();
        adapter.functionCounter("tls.handshakes", "d", TAGS, count, LongAdder::sum);
        adapter.record("tls.handshake.duration", "d", TAGS, 5_000_000);

        List<String> said = adapter.refresh();
        assertThat(said).hasSize(1);
        assertThat(said.get(0)).contains("SimpleMeterRegistry")
                .contains("denies TLS meters (the first: tls.handshakes)");
        assertThat(denying.getMeters()).isEmpty();
        adapter.record("tls.handshake.duration", "d", TAGS, 5_000_000);
        assertThat(adapter.refresh()).isEmpty();
    }

    @Test
    void closedAndRemovedRegistriesAreDropped() {
        SimpleMeterRegistry closing = new SimpleMeterRegistry();
        SimpleMeterRegistry removed = new SimpleMeterRegistry();
        Metrics.addRegistry(closing);
        Metrics.addRegistry(removed);
        adapter.refresh();
        assertThat(adapter.registries()).isEqualTo(2);
        closing.close();
        Metrics.removeRegistry(removed);
        adapter.refresh();
        assertThat(adapter.registries()).isZero();
    }

    @Test
    void removeAndCloseTakeTheMetersOutAgain() {
        SimpleMeterRegistry r = new SimpleMeterRegistry();
        Metrics.addRegistry(r);
        adapter.refresh();
        String[] cert = {"presented_by", "peer", "subject", "CN=a", "issuer", "CN=ca", "serial", "1"};
        adapter.gauge("tls.certificate.expiry.timestamp", "d", "seconds", cert, count, c -> 42.0);
        adapter.functionCounter("tls.handshakes", "d", TAGS, count, LongAdder::sum);
        assertThat(r.get("tls.certificate.expiry.timestamp").gauge().value()).isEqualTo(42.0);
        adapter.remove("tls.certificate.expiry.timestamp", cert);
        assertThat(r.find("tls.certificate.expiry.timestamp").gauge()).isNull();

        SimpleMeterRegistry late = new SimpleMeterRegistry();
        Metrics.addRegistry(late);
        adapter.refresh();
        assertThat(late.find("tls.certificate.expiry.timestamp").gauge()).as("removed: not replayed").isNull();
        adapter.close();
        assertThat(r.getMeters()).isEmpty();
        assertThat(late.getMeters()).isEmpty();
    }
}
