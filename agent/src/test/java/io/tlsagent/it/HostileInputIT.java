package io.tlsagent.it;

import static io.tlsagent.testsupport.Records.text;
import static org.assertj.core.api.Assertions.assertThat;

import io.tlsagent.testsupport.ForkedJvm;
import io.tlsagent.testsupport.Records;
import io.tlsagent.testsupport.Scrape;
import io.tlsagent.testsupport.TestPki;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Strangers choose the SNI: quotes, newlines, control characters, bytes that are not UTF-8, 255-byte names, and
 * thousands of distinct names. Every line stays one valid JSON object, the scrape stays valid for promtool and free
 * of those names, and the agent keeps nothing per name.
 */
class HostileInputIT {

    static final int DISTINCT = Integer.getInteger("tlsagent.sni.count", 300);

    @TempDir
    Path dir;

    @Test
    void hostileServerNames() throws Exception {
        TestPki.createIn(dir);
        List<String> hostile = List.of(
                "q\"uo\"te.test", "back\\\\slash.test", "new\\nline.test", "cr\\rlf\\n{\"x\":1}.test",
                "bell\\a\\x01\\x1f.test", "not-utf8-\\xff\\xfe\\xc3.test", "a".repeat(63) + "." + "b".repeat(63) + "."
                        + "c".repeat(63) + "." + "d".repeat(61), "%s%n${jndi:ldap://x}.test", "</script>.test");
        Scrape scrape;
        Records records;
        try (ForkedJvm jvm = Forks.workload(dir, "--pki", dir.toString(), "--openssl-server", "--hold").start()) {
            jvm.awaitStdout("READY");
            String port = jvm.value("OPENSSL-SERVER");
            for (String name : hostile) {
                // Through a shell so that printf can put bytes that are not UTF-8 into the argument.
                Openssl.run(List.of("bash", "-c", "openssl s_client -connect 127.0.0.1:" + port
                        + " -servername \"$(printf '" + name.replace("%", "%%").replace("'", "") + "')\""), 0);
            }
            try (ForkedJvm flood = Forks.workload(Files.createTempDirectory(dir, "flood"), "--pki", dir.toString(),
                    "--sni-flood", port, Integer.toString(DISTINCT)).withoutAgent().start()) {
                flood.awaitStdout("READY", 300);
                assertThat(flood.finish()).isZero();
            }
            Thread.sleep(1200);
            jvm.gc(); // what the agent follows is weakly held: after a GC only live connections remain
            scrape = jvm.scrape();
            assertThat(jvm.finish()).isZero();
            records = jvm.records().threadPrefix("openssl-server/");
        }
        // One valid JSON object per handshake (parsed by ForkedJvm.records), whatever the name held.
        assertThat(records).hasSize(hostile.size() + DISTINCT);
        List<String> lines = Files.readAllLines(dir.resolve("handshakes.jsonl"), StandardCharsets.UTF_8);
        assertThat(lines).allSatisfy(l -> assertThat(l).startsWith("{").endsWith("}"));
        // The distinct names are in the log, where they belong ...
        assertThat(records.stream().map(r -> text(r, "tls.client.server_name")).filter(n -> n != null
                && n.endsWith(".flood.test")).collect(Collectors.toSet())).hasSize(DISTINCT);
        // ... and nowhere in the scrape, which stays valid and small.
        assertThat(scrape.text).doesNotContain("flood.test").doesNotContain("jndi");
        assertThat(scrape.sum("tls_agent_tracked")).isLessThan(100.0);
        assertThat(scrape.sum("tls_agent_errors_total")).isZero();
        Path scrapeFile = dir.resolve("scrape.txt");
        Files.writeString(scrapeFile, scrape.text);
        String promtool = Openssl.run(List.of("bash", "-c", "promtool check metrics < " + scrapeFile), 0);
        assertThat(promtool).as(promtool).doesNotContainIgnoringCase("error");
    }
}
