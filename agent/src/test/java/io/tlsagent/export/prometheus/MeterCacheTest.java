package io.tlsagent.export.prometheus;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

class MeterCacheTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final MeterCache<Counter> counters = new MeterCache<>(
            v -> Counter.builder("c").tag("a", v.get(0)).register(registry));

    @Test
    void oneMeterPerLabelValues() {
        counters.get("x").increment();
        counters.get("x").increment();
        counters.get("y").increment();
        assertThat(registry.get("c").tag("a", "x").counter().count()).isEqualTo(2.0);
        assertThat(registry.get("c").tag("a", "y").counter().count()).isEqualTo(1.0);
        assertThat(counters.get("x")).isSameAs(counters.get("x"));
    }

    @Test
    void beyondTheCapMetersStillCountInTheRegistry() {
        for (int i = 0; i < MeterCache.MAX_ENTRIES + 10; i++) {
            counters.get("v" + i).increment();
        }
        counters.get("v" + (MeterCache.MAX_ENTRIES + 5)).increment();
        assertThat(registry.get("c").tag("a", "v" + (MeterCache.MAX_ENTRIES + 5)).counter().count()).isEqualTo(2.0);
        assertThat(registry.get("c").counters()).hasSize(MeterCache.MAX_ENTRIES + 10);
    }
}
