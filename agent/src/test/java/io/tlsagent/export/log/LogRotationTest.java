package io.tlsagent.export.log;

import static org.assertj.core.api.Assertions.assertThat;

import io.tlsagent.config.AgentConfig;
import io.tlsagent.record.Api;
import io.tlsagent.record.HandshakeRecord;
import io.tlsagent.record.Role;
import io.tlsagent.util.AgentErrors;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The JSON log follows the rotations log shippers use: rename (then a new file) and copytruncate. */
class LogRotationTest {

    @TempDir
    Path dir;

    private static HandshakeRecord record(String thread) {
        return HandshakeRecord.builder().timestamp(Instant.now()).role(Role.CLIENT).api(Api.SSL_SOCKET)
                .provider("SunJSSE").threadName(thread).build();
    }

    /** Lines appear within a second; wait (bounded) for a file to hold {@code n}. */
    private static List<String> await(Path file, int n) throws Exception {
        for (int i = 0; i < 50; i++) {
            if (Files.exists(file) && Files.readAllLines(file, StandardCharsets.UTF_8).size() >= n) {
                break;
            }
            Thread.sleep(100);
        }
        return Files.readAllLines(file, StandardCharsets.UTF_8);
    }

    @Test
    void renameRotationReopensThePath() throws Exception {
        Path log = dir.resolve("tls.jsonl");
        JsonLog json = new JsonLog(LogSink.of(AgentConfig.load("log=file:" + log, new Properties(), Map.of())),
                "svc", new AgentErrors());
        json.export(record("before"));
        assertThat(await(log, 1)).hasSize(1);
        Files.move(log, dir.resolve("tls.jsonl.1"));
        json.export(record("after"));
        List<String> fresh = await(log, 1);
        json.close(2000);
        assertThat(fresh).hasSize(1).allSatisfy(l -> assertThat(l).contains("\"after\""));
        assertThat(Files.readAllLines(dir.resolve("tls.jsonl.1"))).hasSize(1)
                .allSatisfy(l -> assertThat(l).contains("\"before\""));
        assertThat(json.dropped()).isZero();
    }

    @Test
    void copyTruncateKeepsWritingAtTheNewEnd() throws Exception {
        Path log = dir.resolve("tls.jsonl");
        JsonLog json = new JsonLog(LogSink.of(AgentConfig.load("log=file:" + log, new Properties(), Map.of())),
                "svc", new AgentErrors());
        json.export(record("one"));
        json.export(record("two"));
        assertThat(await(log, 2)).hasSize(2);
        try (RandomAccessFile f = new RandomAccessFile(log.toFile(), "rw")) {
            f.setLength(0); // what logrotate's copytruncate does after copying
        }
        json.export(record("three"));
        List<String> after = await(log, 1);
        json.close(2000);
        assertThat(after).hasSize(1);
        assertThat(after.get(0)).startsWith("{").contains("\"three\"");
    }

    @Test
    void anUnwritableFolderDropsAndCountsThenResumes() throws Exception {
        Path folder = dir.resolve("not-yet");
        Path log = folder.resolve("tls.jsonl");
        JsonLog json = new JsonLog(LogSink.of(AgentConfig.load("log=file:" + log, new Properties(), Map.of())),
                "svc", new AgentErrors());
        json.export(record("lost"));
        for (int i = 0; i < 50 && json.dropped() == 0; i++) {
            Thread.sleep(100);
        }
        assertThat(json.dropped()).isEqualTo(1);
        Files.createDirectories(folder);
        json.export(record("kept"));
        List<String> lines = await(log, 1);
        json.close(2000);
        assertThat(lines).hasSize(1).allSatisfy(l -> assertThat(l).contains("\"kept\""));
    }
}
