package io.tlsagent.compat;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

/** The test's own JA4 (from tshark's fields) against FoxIO's specification example (technical_details/JA4.md). */
class CapturedHandshakeTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void ja4OfTheSpecificationsExample() throws Exception {
        int[] ciphers = {0x1301, 0x1302, 0x1303, 0xc02b, 0xc02f, 0xc02c, 0xc030, 0xcca9, 0xcca8, 0xc013, 0xc014,
            0x009c, 0x009d, 0x002f, 0x0035};
        int[] extensions = {0x001b, 0x0000, 0x0033, 0x0010, 0x4469, 0x0017, 0x002d, 0x000d, 0x0005, 0x0023, 0x0012,
            0x002b, 0xff01, 0x000b, 0x000a, 0x0015};
        int[] sigalgs = {0x0403, 0x0804, 0x0401, 0x0503, 0x0805, 0x0501, 0x0806, 0x0601};

        CapturedHandshake.ClientHello hello = new CapturedHandshake.ClientHello(
                clientHello(ciphers, extensions, sigalgs, "h2", 0x0a0a), 1);

        assertThat(hello.ja4()).isEqualTo("t13d1516h2_8daaf6152771_e5627efa2ab1");
        assertThat(hello.serverName).isEqualTo("example.com");
        assertThat(hello.supportedVersions).containsExactly(0x0a0a, 0x0304, 0x0303);
    }

    @Test
    void ja4AlpnCharactersFollowTheSpecification() throws Exception {
        int[] alpnOnly = {0x0010};
        assertThat(ja4(alpnOnly, "http/1.1")).startsWith("t12i0101h1_");
        assertThat(ja4(alpnOnly, "a ")).startsWith("t12i010160_");
        assertThat(ja4(new int[0], null)).isEqualTo("t12i010000_0f2cb44170f4_000000000000");
    }

    private static String ja4(int[] extensions, String alpn) throws Exception {
        return new CapturedHandshake.ClientHello(clientHello(new int[] {0x1301}, extensions, new int[0], alpn, null),
                1).ja4();
    }

    /** A ClientHello as tshark's JSON has it ({@code -T json --no-duplicate-keys}). */
    private static ObjectNode clientHello(int[] ciphers, int[] extensions, int[] sigalgs, String alpn,
            Integer grease) {
        ObjectNode hello = JSON.createObjectNode();
        hello.put("tls.handshake.type", "1");
        hello.put("tls.handshake.version", "0x0303");
        ArrayNode suites = hello.putObject("tls.handshake.ciphersuites").putArray("tls.handshake.ciphersuite");
        for (int c : ciphers) {
            suites.add(String.format("0x%04x", c));
        }
        for (int type : extensions) {
            ObjectNode ext = hello.putObject("Extension: " + type);
            ext.put("tls.handshake.extension.type", Integer.toString(type));
            switch (type) {
                case 0x0000:
                    ext.putObject("Server Name Indication extension").put("tls.handshake.extensions_server_name",
                            "example.com");
                    break;
                case 0x0010:
                    ext.putObject("tls.handshake.extensions_alpn_list").putArray("tls.handshake.extensions_alpn_str")
                            .add(alpn).add("http/1.1");
                    break;
                case 0x000d:
                    ArrayNode algs = ext.putObject("tls.handshake.sig_hash_algs")
                            .putArray("tls.handshake.sig_hash_alg");
                    for (int a : sigalgs) {
                        algs.add(String.format("0x%04x", a));
                    }
                    break;
                case 0x002b:
                    ArrayNode versions = ext.putArray("tls.handshake.extensions.supported_version");
                    if (grease != null) {
                        versions.add(String.format("0x%04x", grease));
                    }
                    versions.add("0x0304").add("0x0303");
                    break;
                default:
                    // no fields needed
            }
        }
        return hello;
    }
}
