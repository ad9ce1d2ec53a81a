package io.tlsagent.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class StatsTest {

    @Test
    void pairedRatioOfAConstantFactorIsThatFactorWithNoSpread() {
        double[] r = Stats.pairedRatio(List.of(98.0, 49.0, 196.0), List.of(100.0, 50.0, 200.0));
        assertThat(r[1]).isCloseTo(0.98, within(1e-12));
        assertThat(r[0]).isCloseTo(0.98, within(1e-9));
        assertThat(r[2]).isCloseTo(0.98, within(1e-9));
    }

    @Test
    void confidenceIntervalOfAKnownSample() {
        // mean 5, sd 2.138 (n = 8), t(7) = 2.365: half-width 1.788
        List<Double> xs = List.of(2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0);
        assertThat(Stats.mean(xs)).isEqualTo(5.0);
        assertThat(Stats.ci95(xs)).isCloseTo(1.788, within(0.001));
        assertThat(Stats.median(xs)).isEqualTo(4.5);
    }

    @Test
    void wilsonIntervalOfAProportion() {
        double[] p = Stats.proportion(20, 1000);
        assertThat(p[1]).isEqualTo(0.02);
        assertThat(p[0]).isCloseTo(0.0130, within(0.0005));
        assertThat(p[2]).isCloseTo(0.0307, within(0.0005));
    }
}
