package io.tlsagent.export.meters;

import static org.assertj.core.api.Assertions.assertThat;

import io.tlsagent.record.Api;
import io.tlsagent.record.ClientHello;
import io.tlsagent.record.HandshakeAnatomy;
import io.tlsagent.record.HandshakeRecord;
import io.tlsagent.record.Role;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What a record feeds: the key-exchange group counter and the ClientHellos' post-quantum offer. */
class RecordedMetersTest {

    private final List<String> increments = new ArrayList<>();
    private final RecordedMeters into = new RecordedMeters() {
        @Override
        public void record(TlsMeters histogram, long nanos, String... labelValues) {}

        @Override
        public void increment(TlsMeters counter, String... labelValues) {
            increments.add(counter.prometheusName() + List.of(labelValues));
        }
    };

    private static HandshakeRecord.Builder server(String group, List<Integer> offered) {
        HandshakeRecord.Builder b = HandshakeRecord.builder().timestamp(Instant.EPOCH).role(Role.SERVER)
                .api(Api.SSL_ENGINE).provider("SunJSSE").protocol("TLSv1.3").cipherSuite("TLS_AES_128_GCM_SHA256")
                .resumed(false).durationNanos(-1).namedGroup(group);
        if (offered != null) {
            b.anatomy(HandshakeAnatomy.builder().clientHello(ClientHello.builder().legacyVersion(0x0303)
                    .extensions(List.of(10, 43)).supportedVersions(List.of(0x0304, 0x0303)).supportedGroups(offered).build()).build());
        }
        return b;
    }

    @Test
    void aClassicalGroupNegotiatedWithAPostQuantumOffer() {
        RecordedMeters.feed(server("x25519", List.of(0x11EC, 0x001D, 0x0017)).build(), new LabelValues(), into);
        assertThat(increments).containsExactly(
                "tls_client_hellos_total[server, TLSv1.3, true]",
                "tls_key_exchange_groups_total[server, x25519, false]");
    }

    @Test
    void aHybridGroupIsPostQuantum() {
        RecordedMeters.feed(server("X25519MLKEM768", List.of(0x001D)).build(), new LabelValues(), into);
        assertThat(increments).containsExactly(
                "tls_client_hellos_total[server, TLSv1.3, false]",
                "tls_key_exchange_groups_total[server, X25519MLKEM768, true]");
    }

    @Test
    void noGroupNoCountAndAnUnknownOneIsOther() {
        RecordedMeters.feed(server(null, null).build(), new LabelValues(), into);
        assertThat(increments).isEmpty();
        RecordedMeters.feed(server("0x4321", null).build(), new LabelValues(), into);
        assertThat(increments).containsExactly("tls_key_exchange_groups_total[server, other, false]");
    }
}
