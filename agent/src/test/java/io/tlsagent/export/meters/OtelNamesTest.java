package io.tlsagent.export.meters;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OtelNamesTest {

    private static Map<String, Object> attributes(TlsMeters meter, String... values) {
        Map<String, Object> out = new LinkedHashMap<>();
        OtelNames.attributes(meter, List.of(values), out::put);
        return out;
    }

    @Test
    void aSuccessfulHandshakeHasNoErrorType() {
        assertThat(attributes(TlsMeters.HANDSHAKES, "client", "TLSv1.3", "TLS_AES_128_GCM_SHA256", "true",
                "success", "SunJSSE")).containsExactly(Map.entry("tls_agent.role", "client"),
                        Map.entry("tls.protocol.name", "tls"), Map.entry("tls.protocol.version", "1.3"),
                        Map.entry("tls.cipher", "TLS_AES_128_GCM_SHA256"), Map.entry("tls.resumed", true),
                        Map.entry("tls_agent.provider", "SunJSSE"));
    }

    @Test
    void whatALabelSaysIsAbsentIsLeftOut() {
        assertThat(attributes(TlsMeters.HANDSHAKES, "server", "none", "none", "unknown", "peer_closed", "BCJSSE"))
                .containsExactly(Map.entry("tls_agent.role", "server"), Map.entry("error.type", "peer_closed"),
                        Map.entry("tls_agent.provider", "BCJSSE"));
        assertThat(attributes(TlsMeters.HANDSHAKE_DURATION, "client", "other", "unknown", "success"))
                .containsExactly(Map.entry("tls_agent.role", "client"), Map.entry("tls.protocol.version", "other"));
    }

    @Test
    void everyLabelOfEveryMeterHasAName() {
        for (TlsMeters m : TlsMeters.values()) {
            if (m == TlsMeters.CERTIFICATE_EXPIRY || m == TlsMeters.LOCAL_CERTIFICATES || m == TlsMeters.AGENT_INFO) {
                continue; // not pushed (README)
            }
            for (String label : m.labels()) {
                assertThat(OtelNames.ATTRIBUTES).as(m + " " + label).containsKey(label);
            }
        }
    }
}
