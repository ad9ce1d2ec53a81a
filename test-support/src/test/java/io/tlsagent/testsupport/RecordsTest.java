package io.tlsagent.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RecordsTest {

    static final List<String> LINES = List.of(
            "{\"@timestamp\":\"2026-01-01T00:00:02Z\",\"tls\":{\"version\":\"1.3\",\"resumed\":false,"
                    + "\"server\":{\"hash\":{\"sha256\":\"AB\"}}},\"tls_agent\":{\"role\":\"client\","
                    + "\"api\":\"SSLSocket\",\"findings\":[\"a\",\"b\"]},\"process\":{\"thread\":{\"name\":"
                    + "\"step-one/client\"}}}",
            "{\"@timestamp\":\"2026-01-01T00:00:01Z\",\"tls\":{\"version\":\"1.2\",\"next_protocol\":null},"
                    + "\"tls_agent\":{\"role\":\"server\",\"api\":\"SSLEngine\"},\"process\":{\"thread\":{\"name\":"
                    + "\"step-two/server\"}}}");

    @Test
    void readsByDottedPathAndFilters() {
        Records records = Records.parse(LINES);
        assertThat(records).hasSize(2);
        assertThat(Records.text(records.get(0), "tls.server.hash.sha256")).isEqualTo("AB");
        assertThat(Records.text(records.get(0), "tls.resumed")).isEqualTo("false");
        assertThat(Records.text(records.get(1), "tls.next_protocol")).as("JSON null").isNull();
        assertThat(Records.text(records.get(1), "tls.server.hash.sha256")).isNull();
        assertThat(Records.has(records.get(0), "tls.version")).isTrue();
        assertThat(Records.texts(records.get(0), "tls_agent.findings")).containsExactly("a", "b");
        assertThat(Records.texts(records.get(1), "tls_agent.findings")).isEmpty();

        assertThat(records.role("client")).hasSize(1);
        assertThat(records.api("SSLEngine").version("1.2")).hasSize(1);
        assertThat(records.alpn(null)).hasSize(2);
        assertThat(records.threadPrefix("step-one/")).singleElement()
                .satisfies(r -> assertThat(Records.text(r, "tls_agent.role")).isEqualTo("client"));
        assertThat(records.where("tls.version", "1.3").values("tls_agent.api")).containsExactly("SSLSocket");
        assertThat(records.values("tls.resumed")).containsExactly("false", null);
        assertThat(records.distinct("tls_agent.role")).containsExactly("client", "server");
        assertThat(records.inTimeOrder().values("tls_agent.role")).containsExactly("server", "client");
        assertThat(records.toString()).contains("client SSLSocket tls1.3").contains("thread=step-two/server");
    }

    @Test
    void aLineThatIsNotOneJsonObjectFails(@TempDir Path dir) throws Exception {
        assertThatThrownBy(() -> Records.parse(List.of("{\"a\":1}", "{\"half"))).hasMessageContaining("{\"half");
        assertThatThrownBy(() -> Records.parse(List.of("[1]"))).hasMessageContaining("not one JSON object");
        Path log = dir.resolve("handshakes.jsonl");
        assertThat(Records.read(log)).isEmpty();
        Files.write(log, LINES);
        assertThat(Records.read(log)).hasSize(2);
        assertThat(Records.count(log)).isEqualTo(2);
    }
}
