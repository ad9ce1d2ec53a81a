package io.tlsagent.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ScrapeTest {

    @Test
    void prometheusTextWithEscapesTimestampsAndSpecialValues() {
        Scrape s = new Scrape("# HELP tls_handshakes_total TLS handshakes\n"
                + "# TYPE tls_handshakes_total counter\n"
                + "tls_handshakes_total{role=\"client\",result=\"success\"} 3.0\n"
                + "tls_handshakes_total{role=\"server\",result=\"success\",} 2.0 1700000000123\n"
                + "tls_cert{subject=\"CN=a \\\"q\\\" \\\\ x\\ny\",} 1.7E9\n"
                + "tls_duration_bucket{le=\"+Inf\"} 5\n"
                + "tls_gauge NaN\n"
                + "tls_max +Inf\n"
                + "  tls_spaced  { a = \"1\" }\t4  \n"
                + "\n");

        assertThat(s.samples).hasSize(7);
        assertThat(s.sum("tls_handshakes_total")).isEqualTo(5.0);
        assertThat(s.sum("tls_handshakes_total", l -> l.get("role").equals("server"))).isEqualTo(2.0);
        assertThat(s.named("tls_handshakes_total").get(0).timestamp).isNull();
        assertThat(s.named("tls_handshakes_total").get(1).timestamp).isEqualTo(1700000000123.0);
        assertThat(s.named("tls_cert").get(0).labels).containsEntry("subject", "CN=a \"q\" \\ x\ny");
        assertThat(s.named("tls_duration_bucket").get(0).labels).containsEntry("le", "+Inf");
        assertThat(s.named("tls_gauge").get(0).value).isNaN();
        assertThat(s.named("tls_max").get(0).value).isInfinite();
        assertThat(s.named("tls_spaced").get(0).labels).containsEntry("a", "1");
        assertThat(s.named("tls_spaced").get(0).value).isEqualTo(4.0);
        assertThat(s.has("tls_gauge")).isTrue();
        assertThat(s.has("tls_nothing")).isFalse();
        assertThat(s.names()).containsExactly("tls_cert", "tls_duration_bucket", "tls_gauge", "tls_handshakes_total",
                "tls_max", "tls_spaced");
        assertThat(s.openMetrics).isFalse();
    }

    @Test
    void openMetricsWithExemplarsAndEof() {
        Scrape s = new Scrape("# TYPE tls_handshake_duration_seconds histogram\n"
                + "# UNIT tls_handshake_duration_seconds seconds\n"
                + "tls_handshake_duration_seconds_bucket{le=\"0.1\"} 8 # {trace_id=\"abc\"} 0.067 1700000000.123\n"
                + "tls_handshake_duration_seconds_bucket{le=\"+Inf\"} 9 # {trace_id=\"d\\\"e\"} 1.5\n"
                + "tls_handshake_duration_seconds_count 9 1700000000.5\n"
                + "tls_handshakes_created{role=\"client\"} 1.7000000001E9\n"
                + "# EOF\n");

        assertThat(s.openMetrics).isTrue();
        Scrape.Sample bucket = s.named("tls_handshake_duration_seconds_bucket").get(0);
        assertThat(bucket.value).isEqualTo(8.0);
        assertThat(bucket.timestamp).isNull();
        assertThat(bucket.exemplar.labels).containsEntry("trace_id", "abc");
        assertThat(bucket.exemplar.value).isEqualTo(0.067);
        assertThat(bucket.exemplar.timestamp).isEqualTo(1700000000.123);
        Scrape.Sample inf = s.named("tls_handshake_duration_seconds_bucket").get(1);
        assertThat(inf.exemplar.labels).containsEntry("trace_id", "d\"e");
        assertThat(inf.exemplar.timestamp).isNull();
        assertThat(s.named("tls_handshake_duration_seconds_count").get(0).timestamp).isEqualTo(1700000000.5);
        assertThat(s.sum("tls_handshakes_created")).isEqualTo(1.7000000001E9);
    }

    @Test
    void whatIsNotASampleFails() {
        assertThatThrownBy(() -> new Scrape("ok 1\n# EOF\nafter 2\n")).hasMessageContaining("line 3 after # EOF");
        assertThatThrownBy(() -> new Scrape("a 1\nb{x=\"1\" 2\n")).hasMessageContaining("line 2");
        assertThatThrownBy(() -> new Scrape("novalue\n")).hasMessageContaining("no value");
        assertThatThrownBy(() -> new Scrape("c 1 2 3\n")).hasMessageContaining("line 1");
        assertThatThrownBy(() -> new Scrape("d{a=\"1\",a=\"2\"} 1\n")).hasMessageContaining("twice");
        assertThatThrownBy(() -> new Scrape("e one\n")).isInstanceOf(IllegalArgumentException.class);
    }
}
