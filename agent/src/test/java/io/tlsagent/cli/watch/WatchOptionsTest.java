package io.tlsagent.cli.watch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tlsagent.record.Api;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WatchOptionsTest {

    private static final String OK = "{\"@timestamp\":\"2026-11-28T23:41:07.478Z\",\"event\":{\"outcome\":\"success\","
            + "\"duration\":12500000,\"category\":[\"network\"]},\"tls\":{\"version_protocol\":\"tls\",\"version\":\"1.3\","
            + "\"cipher\":\"TLS_AES_128_GCM_SHA256\",\"resumed\":true,\"client\":{\"server_name\":\"Api.Example\"}},"
            + "\"client\":{\"address\":\"127.0.0.1\",\"port\":5555},\"server\":{\"address\":\"10.0.0.9\",\"port\":443},"
            + "\"tls_agent\":{\"role\":\"client\",\"resumption\":\"psk\"}}";
    private static final String FAILED = "{\"@timestamp\":\"2026-11-28T23:41:07.478Z\",\"event\":{\"outcome\":"
            + "\"failure\",\"duration\":900000},\"client\":{\"address\":\"10.0.0.7\",\"port\":40000},"
            + "\"error\":{\"type\":\"certificate_untrusted\",\"message\":\"PKIX \\u001b[2J failed\"},"
            + "\"tls_agent\":{\"role\":\"server\",\"alert\":{\"name\":\"certificate_unknown\",\"direction\":\"sent\"}}}";

    private static Map<String, String> parse(String json) throws Exception {
        return FlatJson.parse(json);
    }

    private static boolean matches(String json, String... args) throws Exception {
        String[] all = new String[args.length + 1];
        all[0] = "123";
        System.arraycopy(args, 0, all, 1, args.length);
        return WatchOptions.parse(all).matches(parse(json));
    }

    @Test
    void flattensObjectsAndSkipsArrays() throws Exception {
        Map<String, String> r = parse(OK);
        assertThat(r).containsEntry("tls.client.server_name", "Api.Example").containsEntry("client.port", "5555")
                .containsEntry("event.duration", "12500000").doesNotContainKey("event.category");
    }

    @Test
    void filters() throws Exception {
        assertThat(matches(OK)).isTrue();
        assertThat(matches(OK, "--failures")).isFalse();
        assertThat(matches(FAILED, "--failures")).isTrue();
        assertThat(matches(OK, "--role", "client")).isTrue();
        assertThat(matches(OK, "--role", "server")).isFalse();
        assertThat(matches(OK, "--peer", "10.0.0.9:443")).as("the peer of a client is the server").isTrue();
        assertThat(matches(OK, "--peer", "127.0.0.1")).isFalse();
        assertThat(matches(FAILED, "--peer", "10.0.0.7")).isTrue();
        assertThat(matches(OK, "--sni", "api.ex")).as("case-insensitive").isTrue();
        assertThat(matches(FAILED, "--sni", "api")).as("no SNI").isFalse();
        assertThat(matches(OK, "--min-duration", "12.5")).isTrue();
        assertThat(matches(OK, "--min-duration", "13")).isFalse();
        assertThat(matches(OK, "--role", "client", "--sni", "api", "--min-duration", "1")).isTrue();
    }

    @Test
    void clearUsageErrors() {
        assertThatThrownBy(() -> WatchOptions.parse(new String[] {})).hasMessageContaining("pid");
        assertThatThrownBy(() -> WatchOptions.parse(new String[] {"1", "--role", "x"})).hasMessageContaining("client");
        assertThatThrownBy(() -> WatchOptions.parse(new String[] {"1", "--min-duration", "-3"}))
                .hasMessageContaining("milliseconds");
        assertThatThrownBy(() -> WatchOptions.parse(new String[] {"1", "--sni"})).hasMessageContaining("value");
        assertThatThrownBy(() -> WatchOptions.parse(new String[] {"1", "--frob"})).hasMessageContaining("--frob");
    }

    @Test
    void oneLinePerHandshakeWithColourOnlyForFailuresOnATerminal() throws Exception {
        String ok = WatchLine.format(parse(OK), true);
        assertThat(ok).contains(" client ", "10.0.0.9:443", "Api.Example", "TLSv1.3", "TLS_AES_128_GCM_SHA256",
                " psk ", "12.5 ms", " ok").doesNotContain("\u001b");
        String failed = WatchLine.format(parse(FAILED), true);
        assertThat(failed).startsWith("\u001b[1;31m").endsWith("\u001b[0m")
                .contains("10.0.0.7:40000", "FAILED certificate_untrusted (alert certificate_unknown sent): PKIX");
        assertThat(failed.substring(7, failed.length() - 4)).as("no escape from the network").doesNotContain("\u001b");
        assertThat(WatchLine.format(parse(FAILED), false)).doesNotContain("\u001b").startsWith(
                WatchLine.format(parse(FAILED), false).substring(0, 12));
        Map<String, String> empty = new HashMap<>();
        assertThat(WatchLine.format(empty, false)).contains("-");
    }
}
