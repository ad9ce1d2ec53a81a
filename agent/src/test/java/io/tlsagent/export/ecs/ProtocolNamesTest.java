package io.tlsagent.export.ecs;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ProtocolNamesTest {

    @ParameterizedTest(name = "{0} -> {1} {2}")
    @CsvSource({
        "TLSv1.3, tls, 1.3",
        "TLSv1.2, tls, 1.2",
        "TLSv1.1, tls, 1.1",
        "TLSv1, tls, 1.0",
        "SSLv3, ssl, 3.0",
        "DTLSv1.2, dtls, 1.2",
        "DTLSv1.0, dtls, 1.0",
        "DTLSv1.3, dtls, 1.3"
    })
    void splitsJsseNames(String jsse, String family, String version) {
        assertThat(ProtocolNames.split(jsse)).containsExactly(family, version);
    }

    @ParameterizedTest
    @ValueSource(strings = {"NONE", "", "v1.3", "TLSv", "QUICv1", "TLS1.3", "TLS"})
    void unknownNamesGiveNull(String jsse) {
        assertThat(ProtocolNames.split(jsse)).isNull();
    }

    @Test
    void nullGivesNull() {
        assertThat(ProtocolNames.split(null)).isNull();
    }
}
