package io.tlsagent.anatomy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Names and kinds of key-exchange groups against the IANA Supported Groups registry's code points. */
class KeyExchangeGroupsTest {

    @Test
    void theHybridsAndTheRetiredDraftsAreNamedByCodePoint() {
        assertThat(TlsNames.group(0x11EB)).isEqualTo("SecP256r1MLKEM768");
        assertThat(TlsNames.group(0x11EC)).isEqualTo("X25519MLKEM768");
        assertThat(TlsNames.group(0x11ED)).isEqualTo("SecP384r1MLKEM1024");
        assertThat(TlsNames.group(0x6399)).isEqualTo("X25519Kyber768Draft00");
        assertThat(TlsNames.group(0x0201)).isEqualTo("MLKEM768");
        assertThat(TlsNames.group(0x001D)).isEqualTo("x25519");
        assertThat(TlsNames.group(0x1234)).isEqualTo("0x1234");
        assertThat(TlsNames.group(0x0248)).as("OQS's own code point, not the registry's").isEqualTo("0x0248");
    }

    @Test
    void postQuantumAreTheHybridsAndMlKem() {
        for (int id : new int[] {0x11EB, 0x11EC, 0x11ED, 0x6399, 0x639A, 0x0200, 0x0201, 0x0202}) {
            assertThat(KeyExchangeGroups.isPostQuantum(id)).as(Integer.toHexString(id)).isTrue();
            assertThat(KeyExchangeGroups.isPostQuantum(TlsNames.group(id))).isTrue();
        }
        for (int id : new int[] {0x001D, 0x0017, 0x0018, 0x001E, 0x0100, 0x0248, 0x1234}) {
            assertThat(KeyExchangeGroups.isPostQuantum(id)).as(Integer.toHexString(id)).isFalse();
            assertThat(KeyExchangeGroups.isPostQuantum(TlsNames.group(id))).isFalse();
        }
        assertThat(KeyExchangeGroups.isPostQuantum((String) null)).isFalse();
        assertThat(KeyExchangeGroups.isHybrid("X25519MLKEM768")).isTrue();
        assertThat(KeyExchangeGroups.isHybrid("MLKEM768")).isFalse();
    }

    @Test
    void aClientHelloOffersPostQuantumWhenAnyGroupIs() {
        assertThat(KeyExchangeGroups.anyPostQuantum(List.of(0x0A0A, 0x11EC, 0x001D))).isTrue();
        assertThat(KeyExchangeGroups.anyPostQuantum(List.of(0x001D, 0x0017, 0x0018))).isFalse();
        assertThat(KeyExchangeGroups.anyPostQuantum(List.of())).isFalse();
    }

    @Test
    void theLabelIsTheRegistrysNameElseOther() {
        assertThat(KeyExchangeGroups.label("x25519")).isEqualTo("x25519");
        assertThat(KeyExchangeGroups.label("x25519mlkem768")).isEqualTo("X25519MLKEM768");
        assertThat(KeyExchangeGroups.label("secp256r1")).isEqualTo("secp256r1");
        assertThat(KeyExchangeGroups.label("0x1234")).isEqualTo("other");
        assertThat(KeyExchangeGroups.label("api.example.com")).isEqualTo("other");
    }
}
