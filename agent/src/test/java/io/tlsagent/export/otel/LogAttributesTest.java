package io.tlsagent.export.otel;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.tlsagent.export.ecs.EcsJson;
import io.tlsagent.record.Api;
import io.tlsagent.record.ErrorType;
import io.tlsagent.record.HandshakeMessage;
import io.tlsagent.record.HandshakeRecord;
import io.tlsagent.record.Resumption;
import io.tlsagent.record.Role;
import io.tlsagent.record.TraceContext;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class LogAttributesTest {

    private final LogAttributes attributes = new LogAttributes(new EcsJson("svc", 42));

    private static HandshakeRecord.Builder client() {
        return HandshakeRecord.builder()
                .timestamp(Instant.parse("2026-12-05T10:00:00Z"))
                .role(Role.CLIENT)
                .api(Api.SSL_SOCKET)
                .provider("SunJSSE")
                .protocol("TLSv1.3")
                .cipherSuite("TLS_AES_128_GCM_SHA256")
                .namedGroup("x25519")
                .resumed(false)
                .resumption(Resumption.NONE)
                .durationNanos(1_234_567L)
                .localAddress("10.0.0.1")
                .localPort(50000)
                .peerAddress("10.0.0.2")
                .peerPort(443)
                .serverName("api.example.com")
                .applicationProtocol("h2")
                .messages(List.of(new HandshakeMessage("client_hello", true, 0),
                        new HandshakeMessage("server_hello", false, 310)))
                .trace(new TraceContext("0af7651916cd43dd8448eb211c80319c", "b7ad6b7169203331", true))
                .threadName("main");
    }

    @Test
    void theConventionsNamesWhereTheyDifferFromEcs() throws Exception {
        Attributes a = attributes.of(client().build());

        assertThat(a.get(AttributeKey.stringKey("tls.protocol.name"))).isEqualTo("tls");
        assertThat(a.get(AttributeKey.stringKey("tls.protocol.version"))).isEqualTo("1.3");
        assertThat(a.get(AttributeKey.stringKey("tls.cipher"))).isEqualTo("TLS_AES_128_GCM_SHA256");
        assertThat(a.get(AttributeKey.stringKey("tls.curve"))).isEqualTo("x25519");
        assertThat(a.get(AttributeKey.booleanKey("tls.resumed"))).isFalse();
        assertThat(a.get(AttributeKey.booleanKey("tls.established"))).isTrue();
        assertThat(a.get(AttributeKey.stringKey("tls.next_protocol"))).isEqualTo("h2");
        assertThat(a.get(AttributeKey.stringKey("thread.name"))).isEqualTo("main");
        assertThat(a.get(AttributeKey.longKey("event.duration"))).isEqualTo(1_234_567L);
        assertThat(a.get(AttributeKey.stringKey("tls_agent.role"))).isEqualTo("client");
        assertThat(a.asMap().keySet().stream().map(AttributeKey::getKey))
                .doesNotContain("tls.version", "tls.version_protocol", "tls.client.server_name", "service.name",
                        "process.pid", "@timestamp", "trace.id", "span.id", "event.kind");
    }

    @Test
    void aClientNamesTheServerByItsSniAndThePeerByItsAddress() throws Exception {
        Attributes a = attributes.of(client().build());

        assertThat(a.get(AttributeKey.stringKey("server.address"))).isEqualTo("api.example.com");
        assertThat(a.get(AttributeKey.longKey("server.port"))).isEqualTo(443L);
        assertThat(a.get(AttributeKey.stringKey("network.peer.address"))).isEqualTo("10.0.0.2");
        assertThat(a.get(AttributeKey.longKey("network.peer.port"))).isEqualTo(443L);
        assertThat(a.get(AttributeKey.stringKey("client.address"))).isEqualTo("10.0.0.1");
        assertThat(a.get(AttributeKey.longKey("network.local.port"))).isEqualTo(50000L);
    }

    @Test
    void aServerWithoutSniNamesItselfByItsAddress() throws Exception {
        Attributes a = attributes.of(client().role(Role.SERVER).serverName(null).build());

        assertThat(a.get(AttributeKey.stringKey("server.address"))).isEqualTo("10.0.0.1");
        assertThat(a.get(AttributeKey.longKey("server.port"))).isEqualTo(50000L);
        assertThat(a.get(AttributeKey.stringKey("client.address"))).isEqualTo("10.0.0.2");
    }

    @Test
    void anEngineBoundToItsConnectionHasItsEndsAndNamesTheServerAsTheClientDid() throws Exception {
        Attributes a = attributes.of(client().api(Api.SSL_ENGINE).serverName(null).peerDomain("api.example.com")
                .build());

        assertThat(a.get(AttributeKey.stringKey("server.address"))).isEqualTo("api.example.com");
        assertThat(a.get(AttributeKey.stringKey("network.peer.address"))).isEqualTo("10.0.0.2");
        assertThat(a.get(AttributeKey.longKey("network.local.port"))).isEqualTo(50000L);
    }

    @Test
    void anEngineKnowsNoSocketEnds() throws Exception {
        Attributes a = attributes.of(client().api(Api.SSL_ENGINE).localAddress(null).localPort(-1).build());

        assertThat(a.get(AttributeKey.stringKey("network.peer.address"))).isNull();
        assertThat(a.get(AttributeKey.stringKey("server.address"))).isEqualTo("api.example.com");
    }

    @Test
    void failuresCarryTheErrorType() throws Exception {
        Attributes a = attributes.of(client().error(ErrorType.CERTIFICATE_UNTRUSTED).errorMessage("PKIX").build());

        assertThat(a.get(AttributeKey.stringKey("error.type"))).isEqualTo("certificate_untrusted");
        assertThat(a.get(AttributeKey.stringKey("error.message"))).isEqualTo("PKIX");
        assertThat(a.get(AttributeKey.booleanKey("tls.established"))).isFalse();
    }

    @Test
    void arraysOfObjectsBecomeTheirJsonTexts() throws Exception {
        Attributes a = attributes.of(client().build());

        assertThat(a.get(AttributeKey.stringArrayKey("tls_agent.messages"))).containsExactly(
                "{\"type\":\"client_hello\",\"direction\":\"out\",\"offset_us\":0}",
                "{\"type\":\"server_hello\",\"direction\":\"in\",\"offset_us\":310}");
    }
}
