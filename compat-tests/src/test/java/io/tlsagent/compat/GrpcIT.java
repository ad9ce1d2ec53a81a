package io.tlsagent.compat;

import static io.tlsagent.testsupport.Records.text;
import static org.assertj.core.api.Assertions.assertThat;

import io.tlsagent.compat.apps.GrpcApp;
import io.tlsagent.testsupport.ForkedJvm;
import io.tlsagent.testsupport.Records;
import io.tlsagent.testsupport.Scrape;
import io.tlsagent.testsupport.TestPki;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * gRPC-Java on grpc-netty-shaded (its relocated copy of Netty's {@code SslHandler}), with its default OpenSSL
 * engine and with the JDK's, each server with a gRPC client in the same JVM and {@code curl --http2} as an outside
 * client ({@link GrpcApp}): every record names its connection's real ends, and both records of one connection
 * agree. Runs on Java 11+.
 */
@Tag("jdk")
class GrpcIT {

    @TempDir
    static Path dir;
    static ForkedJvm jvm;
    static Records records;
    static Scrape scrape;
    static int openSslPort;
    static int jdkPort;
    static Connections.Curl curlOpenSsl;
    static Connections.Curl curlJdk;

    @BeforeAll
    static void run() throws Exception {
        TestPki.createIn(dir);
        jvm = ForkedJvm.builder(dir, GrpcApp.class).keepLogsAs("GrpcIT").jvmArgs(EngineChecks.nativeAccess())
                .args(dir.toString()).start();
        try {
            jvm.awaitReady();
            openSslPort = Integer.parseInt(jvm.value("PORT_openssl"));
            jdkPort = Integer.parseInt(jvm.value("PORT_jdk"));
            curlOpenSsl = Connections.curl(dir, "127.0.0.1", openSslPort, "/", "--http2");
            curlJdk = Connections.curl(dir, "127.0.0.1", jdkPort, "/", "--http2");
            scrape = jvm.scrapeOnceExported(); // after the export thread had every record
            assertThat(jvm.finish()).as("exit code; stderr: %s", jvm.stderr()).isZero();
            records = jvm.records();
        } finally {
            jvm.close();
        }
    }

    private static Records on(int port) {
        return records.where("server.port", Integer.toString(port));
    }

    @Test
    void theCallsWereAnswered() {
        assertThat(jvm.value("REPLY_openssl")).isEqualTo("hello_openssl");
        assertThat(jvm.value("REPLY_jdk")).isEqualTo("hello_jdk");
    }

    @Test
    void exactlyOneRecordPerConnectionAndSide() {
        String all = records.toString();
        assertThat(records.size()).as(all).isEqualTo(6);
        for (int port : new int[] {openSslPort, jdkPort}) {
            assertThat(on(port).role("client").size()).as(all).isEqualTo(1);
            assertThat(on(port).role("server").size()).as(all).isEqualTo(2);
        }
        assertThat(on(openSslPort).values("tls_agent.provider")).as(all).containsOnly("Netty-OpenSSL");
        assertThat(on(jdkPort).values("tls_agent.provider")).as(all).containsOnly("SunJSSE");
        assertThat(records.values("tls_agent.api")).containsOnly("SSLEngine");
        assertThat(records.values("event.outcome")).containsOnly("success");
        assertThat(records.values("tls.next_protocol")).containsOnly("h2");
    }

    @Test
    void bothRecordsOfEachConnectionNameItsRealEnds() {
        Connections.clientsPairWithServers(records.role("client"), records.role("server"));
        assertThat(records.role("client").values("server.domain")).containsOnly("localhost");
        assertThat(text(Connections.serverRecordOf(records, curlOpenSsl), "server.port"))
                .isEqualTo(Integer.toString(openSslPort));
        assertThat(text(Connections.serverRecordOf(records, curlJdk), "server.port"))
                .isEqualTo(Integer.toString(jdkPort));
    }

    @Test
    void scrapeAgreesWithTheLog() {
        Checks.scrapeAgreesWithLog(scrape, records);
    }

    @Test
    void agentStartedOnceAndStayedQuiet() {
        Checks.agentHealthy(jvm, scrape);
    }
}
