package io.tlsagent.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class OtlpConfigTest {

    private static OtlpConfig load(String args, String... env) throws ConfigException {
        Map<String, String> e = new HashMap<>();
        for (int i = 0; i < env.length; i += 2) {
            e.put(env[i], env[i + 1]);
        }
        return AgentConfig.load(args, new Properties(), e).otlp();
    }

    @Test
    void offUnlessTheEndpointIsGiven() throws Exception {
        assertThat(load(null, "OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318")).isNull();
        assertThatThrownBy(() -> load("otlp_interval=10s")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("needs otlp_endpoint");
    }

    @Test
    void theEndpointIsABaseForBothSignals() throws Exception {
        OtlpConfig c = load("otlp_endpoint=http://collector:4318");
        assertThat(c.metrics().endpoint()).isEqualTo("http://collector:4318/v1/metrics");
        assertThat(c.logs().endpoint()).isEqualTo("http://collector:4318/v1/logs");
        assertThat(c.intervalMillis()).isEqualTo(60_000);
        assertThat(c.metrics().timeoutMillis()).isEqualTo(10_000);
        assertThat(load("otlp_endpoint=https://collector/otlp/").logs().endpoint())
                .isEqualTo("https://collector/otlp/v1/logs");
    }

    @Test
    void envTakesTheEndpointsAsTheSdkDoes() throws Exception {
        OtlpConfig c = load("otlp_endpoint=env", "OTEL_EXPORTER_OTLP_ENDPOINT", "http://base:4318",
                "OTEL_EXPORTER_OTLP_METRICS_ENDPOINT", "http://vm:8428/opentelemetry/v1/metrics");
        assertThat(c.metrics().endpoint()).as("a signal's own, as it is").isEqualTo(
                "http://vm:8428/opentelemetry/v1/metrics");
        assertThat(c.logs().endpoint()).as("the base, with the signal's path").isEqualTo("http://base:4318/v1/logs");
        assertThat(load("otlp_endpoint=env").logs().endpoint()).isEqualTo("http://localhost:4318/v1/logs");
    }

    @Test
    void theAgentsKeysBeforeTheVariables() throws Exception {
        OtlpConfig c = load("otlp_endpoint=http://c:4318,otlp_interval=200ms,service_name=mine",
                "OTEL_METRIC_EXPORT_INTERVAL", "5000", "OTEL_SERVICE_NAME", "theirs",
                "OTEL_RESOURCE_ATTRIBUTES", "team=tls,deployment.environment.name=prod%20eu");
        assertThat(c.intervalMillis()).isEqualTo(200);
        assertThat(c.resource()).containsEntry("service.name", "mine").containsEntry("team", "tls")
                .containsEntry("deployment.environment.name", "prod eu");
        assertThat(load("otlp_endpoint=http://c:4318", "OTEL_SERVICE_NAME", "theirs").resource())
                .containsEntry("service.name", "theirs");
        assertThat(load("otlp_endpoint=http://c:4318", "OTEL_METRIC_EXPORT_INTERVAL", "5000").intervalMillis())
                .isEqualTo(5000);
    }

    @Test
    void headersFromTheKeyOrTheSignalsVariable() throws Exception {
        OtlpConfig c = load("otlp_endpoint=http://c:4318", "OTEL_EXPORTER_OTLP_HEADERS", "a=1",
                "OTEL_EXPORTER_OTLP_LOGS_HEADERS", "authorization=Bearer%20x%2By");
        assertThat(c.metrics().headers()).containsExactly(Map.entry("a", "1"));
        assertThat(c.logs().headers()).containsExactly(Map.entry("authorization", "Bearer x+y"));
        Properties p = new Properties();
        p.setProperty("tlsagent.otlp_headers", "api-key=k1,x=%E2%82%AC");
        OtlpConfig keyed = AgentConfig.load("otlp_endpoint=http://c:4318", p,
                Map.of("OTEL_EXPORTER_OTLP_HEADERS", "a=1")).otlp();
        assertThat(keyed.logs().headers()).containsExactly(Map.entry("api-key", "k1"), Map.entry("x", "\u20ac"));
    }

    @Test
    void aMistakeInTheAgentsKeysIsAnErrorInTheVariablesANote() throws Exception {
        assertThatThrownBy(() -> load("otlp_endpoint=collector:4318")).hasMessageContaining("otlp_endpoint");
        assertThatThrownBy(() -> load("otlp_endpoint=http://c:4318,otlp_protocol=grpc"))
                .hasMessageContaining("http/protobuf");
        assertThatThrownBy(() -> load("otlp_endpoint=http://c:4318,otlp_interval=10")).hasMessageContaining(
                "otlp_interval");
        OtlpConfig c = load("otlp_endpoint=http://c:4318", "OTEL_EXPORTER_OTLP_TIMEOUT", "soon",
                "OTEL_EXPORTER_OTLP_PROTOCOL", "grpc", "OTEL_EXPORTER_OTLP_CLIENT_KEY", "/k.pem");
        assertThat(c.metrics().timeoutMillis()).isEqualTo(10_000);
        assertThat(String.join("\n", c.notes())).contains("OTEL_EXPORTER_OTLP_TIMEOUT").contains("grpc")
                .contains("CLIENT_KEY");
    }

    @Test
    void percentDecodingKeepsWhatIsNotAnEscape() {
        assertThat(OtlpConfig.decode("a+b%20c%zz%4")).isEqualTo("a+b c%zz%4");
        assertThat(OtlpConfig.decode("%F0%9F%94%92 ok")).isEqualTo("\uD83D\uDD12 ok");
    }
}
