package io.tlsagent.export.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tlsagent.config.AgentConfig;
import io.tlsagent.record.Api;
import io.tlsagent.record.HandshakeRecord;
import io.tlsagent.record.Resumption;
import io.tlsagent.record.Role;
import io.tlsagent.util.AgentErrors;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class JsonLogTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @TempDir
    Path dir;

    private static LogSink fileSink(Path path) throws Exception {
        AgentConfig config = AgentConfig.load("log=file:" + path, new Properties(), Map.of());
        assertThat(config.logTarget()).isEqualTo(AgentConfig.LogTarget.FILE);
        return LogSink.of(config);
    }

    private static HandshakeRecord record(int i) {
        return HandshakeRecord.builder()
                .timestamp(Instant.ofEpochSecond(1_700_000_000L, i))
                .role(i % 2 == 0 ? Role.CLIENT : Role.SERVER)
                .api(Api.SSL_SOCKET)
                .provider("SunJSSE")
                .protocol("TLSv1.3")
                .cipherSuite("TLS_AES_128_GCM_SHA256")
                .resumption(Resumption.NONE)
                .durationNanos(1000L + i)
                .peerAddress("10.0.0.2")
                .peerPort(443)
                .serverName("host-" + i + ".example")
                .threadName("worker-" + i)
                .build();
    }

    private static List<String> lines(Path file) throws Exception {
        String content = new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
        if (!content.isEmpty()) {
            assertThat(content).endsWith("\n");
        }
        return content.isEmpty() ? List.of() : List.of(content.split("\n", -1)).subList(0,
                content.split("\n", -1).length - 1);
    }

    @Test
    @Timeout(60)
    void writesOneValidJsonLinePerRecord() throws Exception {
        Path file = dir.resolve("handshakes.log");
        AgentErrors errors = new AgentErrors();
        JsonLog log = new JsonLog(fileSink(file), "orders", errors);

        for (int i = 0; i < 100; i++) {
            log.export(record(i));
        }
        log.close(2000);

        List<String> lines = lines(file);
        assertThat(lines).hasSize(100);
        Set<String> names = new HashSet<>();
        int i = 0;
        for (String line : lines) {
            JsonNode j = MAPPER.readTree(line);
            assertThat(j.path("event").path("action").asText()).isEqualTo("tls-handshake");
            assertThat(j.path("service").path("name").asText()).isEqualTo("orders");
            assertThat(j.path("process").path("pid").asLong()).isEqualTo(ProcessHandle.current().pid());
            String name = j.path("tls").path("client").path("server_name").asText();
            assertThat(name).as("lines keep the order of the records").isEqualTo("host-" + i++ + ".example");
            names.add(name);
        }
        assertThat(names).hasSize(100).contains("host-0.example", "host-99.example");
        assertThat(log.dropped()).isZero();
        assertThat(errors.count()).isZero();
    }

    @Test
    @Timeout(60)
    void appendsToAnExistingFile() throws Exception {
        Path file = dir.resolve("existing.log");
        Files.write(file, "{\"earlier\":true}\n".getBytes(StandardCharsets.UTF_8));
        JsonLog log = new JsonLog(fileSink(file), "orders", new AgentErrors());

        log.export(record(1));
        log.close(2000);

        List<String> lines = lines(file);
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0)).isEqualTo("{\"earlier\":true}");
        assertThat(MAPPER.readTree(lines.get(1)).path("event").path("kind").asText()).isEqualTo("event");
    }

    @Test
    @Timeout(60)
    void unwritablePathCountsDroppedLinesAndNeverThrows() throws Exception {
        Path directory = Files.createDirectory(dir.resolve("a-directory"));
        JsonLog log = new JsonLog(fileSink(directory), "orders", new AgentErrors());

        assertThatCode(() -> {
            for (int i = 0; i < 50; i++) {
                log.export(record(i));
            }
        }).doesNotThrowAnyException();
        assertThatCode(() -> log.close(2000)).doesNotThrowAnyException();

        assertThat(log.dropped()).isEqualTo(50);
        assertThat(Files.isDirectory(directory)).isTrue();
    }

    @Test
    @Timeout(60)
    void unformattableRecordIsDroppedAndCountedAsAgentError() throws Exception {
        Path file = dir.resolve("partial.log");
        AgentErrors errors = new AgentErrors();
        JsonLog log = new JsonLog(fileSink(file), "orders", errors);

        log.export(record(1));
        log.export(HandshakeRecord.builder().build()); // no timestamp, role or api
        log.export(record(2));
        log.close(2000);

        assertThat(lines(file)).hasSize(2);
        assertThat(log.dropped()).isEqualTo(1);
        assertThat(errors.count()).isEqualTo(1);
    }

    @Test
    @Timeout(60)
    void recordsAfterCloseAreDropped() throws Exception {
        Path file = dir.resolve("closed.log");
        JsonLog log = new JsonLog(fileSink(file), "orders", new AgentErrors());
        log.export(record(1));
        log.close(2000);

        assertThatCode(() -> log.export(record(2))).doesNotThrowAnyException();

        assertThat(log.dropped()).isEqualTo(1);
        assertThat(lines(file)).hasSize(1);
    }

    @Test
    @Timeout(120)
    void moreThanCapacityNeverBlocksOrThrowsAndEveryRecordIsAccountedFor() throws Exception {
        Path file = dir.resolve("burst.log");
        JsonLog log = new JsonLog(fileSink(file), "orders", new AgentErrors());
        int total = JsonLog.CAPACITY * 3 + 7;
        HandshakeRecord r = record(7);

        assertThatCode(() -> {
            for (int i = 0; i < total; i++) {
                log.export(r);
            }
        }).doesNotThrowAnyException();
        log.close(60_000);

        List<String> lines = lines(file);
        assertThat(lines.size() + log.dropped()).isEqualTo(total);
        assertThat(lines.size()).isGreaterThanOrEqualTo(JsonLog.CAPACITY);
        for (String line : List.of(lines.get(0), lines.get(lines.size() - 1))) {
            assertThat(MAPPER.readTree(line).path("event").path("action").asText()).isEqualTo("tls-handshake");
        }
    }
}
