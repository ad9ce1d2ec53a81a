package io.tlsagent;

import static org.assertj.core.api.Assertions.assertThat;

import io.tlsagent.config.AgentConfig;
import io.tlsagent.export.meters.OtelNames;
import io.tlsagent.export.meters.TlsMeters;
import io.tlsagent.record.ErrorType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Keeps the README's tables equal to the code they describe. */
class ReadmeTest {

    private static List<String> readme() throws Exception {
        return Files.readAllLines(Paths.get("..", "README.md"), StandardCharsets.UTF_8);
    }

    @Test
    void metricsTableMatchesTlsMeters() throws Exception {
        List<String> lines = readme();
        for (TlsMeters m : TlsMeters.values()) {
            String row = "| `" + m.prometheusName() + "` | " + m.type() + " | " + String.join(", ", m.labels()) + " | "
                    + m.description() + " |";
            assertThat(lines).as("README metrics row for " + m).contains(row);
        }
        long rows = lines.stream().filter(l -> l.matches("\\| `tls_[a-z_]+` \\| (counter|gauge|histogram) \\|.*")).count();
        assertThat(rows).as("no undocumented or stale rows").isEqualTo(TlsMeters.values().length);
    }

    @Test
    void configurationTableMatchesTheKeys() throws Exception {
        List<String> lines = readme();
        for (AgentConfig.Key k : AgentConfig.Key.values()) {
            String def = k == AgentConfig.Key.SERVICE_NAME ? "(derived)"
                    : k.defaultValue().isEmpty() ? "(none)" : "`" + k.defaultValue() + "`";
            String row = "| `" + k.key() + "` | " + def + " | " + k.accepts().replace("<", "&lt;").replace(">", "&gt;")
                    + " |";
            assertThat(lines).as("README configuration row for " + k).contains(row);
        }
    }

    @Test
    void openTelemetryNamesMatchTheCode() throws Exception {
        List<String> lines = readme();
        for (TlsMeters m : TlsMeters.values()) {
            if (m == TlsMeters.CERTIFICATE_EXPIRY || m == TlsMeters.LOCAL_CERTIFICATES || m == TlsMeters.AGENT_INFO) {
                assertThat(lines).as("README: " + m + " is not pushed")
                        .anySatisfy(l -> assertThat(l).startsWith("| `" + m.prometheusName() + "` | not pushed"));
                continue;
            }
            String kind = m.type().equals("counter") ? "sum" : m.type();
            assertThat(lines).as("README OpenTelemetry row for " + m).contains("| `" + m.prometheusName() + "` | `"
                    + m.meterName() + "` | `" + m.unit() + "` | " + kind + " |");
        }
        OtelNames.ATTRIBUTES.forEach((label, attributes) -> assertThat(lines).as("README attribute row for " + label)
                .contains("| `" + label + "` | `" + String.join("`, `", attributes) + "` |"));
        OtelNames.LOG_RENAMED.forEach((ecs, otel) -> assertThat(lines).as("README log field row for " + ecs)
                .contains("| `" + ecs + "` | `" + otel + "` |"));
    }

    @Test
    void everyErrorTypeIsExplained() throws Exception {
        List<String> lines = readme();
        for (ErrorType e : ErrorType.values()) {
            assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("| `" + e.label() + "` |"));
        }
    }
}
