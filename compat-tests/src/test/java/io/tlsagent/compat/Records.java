package io.tlsagent.compat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/** The agent's JSON lines of one forked JVM, read by ECS path. */
public final class Records {

    public final List<JsonNode> all;

    public Records(List<JsonNode> all) {
        this.all = List.copyOf(all);
    }

    /** The text at a dotted path ({@code tls.server.hash.sha256}), or null when absent. */
    public static String text(JsonNode record, String path) {
        JsonNode node = record;
        for (String part : path.split("\\.")) {
            if (node == null) {
                return null;
            }
            node = node.get(part);
        }
        return node == null || node.isNull() || node.isMissingNode() ? null : node.asText();
    }

    public int size() {
        return all.size();
    }

    public Records where(Predicate<JsonNode> p) {
        return new Records(all.stream().filter(p).collect(Collectors.toList()));
    }

    /** The records whose value at {@code path} equals {@code value} (null: absent). */
    public Records where(String path, String value) {
        return where(r -> Objects.equals(text(r, path), value));
    }

    public Records role(String role) {
        return where("tls_agent.role", role);
    }

    public Records api(String api) {
        return where("tls_agent.api", api);
    }

    public Records alpn(String protocol) {
        return where("tls.next_protocol", protocol);
    }

    public Records version(String version) {
        return where("tls.version", version);
    }

    /** The values at {@code path}, in log order. */
    public List<String> values(String path) {
        List<String> out = new ArrayList<>();
        for (JsonNode r : all) {
            out.add(text(r, path));
        }
        return out;
    }

    /** The records sorted by {@code @timestamp} (the end of each handshake). */
    public Records inTimeOrder() {
        List<JsonNode> sorted = new ArrayList<>(all);
        sorted.sort(java.util.Comparator.comparing(r -> java.time.Instant.parse(text(r, "@timestamp"))));
        return new Records(sorted);
    }

    /** One line per record with what identifies it, and the full lines: for assertion messages. */
    @Override
    public String toString() {
        StringBuilder s = new StringBuilder(all.size() + " records:\n");
        for (JsonNode r : all) {
            s.append("  ").append(text(r, "tls_agent.role")).append(' ').append(text(r, "tls_agent.api"))
                    .append(" tls").append(text(r, "tls.version")).append(' ').append(text(r, "tls.cipher"))
                    .append(" alpn=").append(text(r, "tls.next_protocol"))
                    .append(" resumed=").append(text(r, "tls.resumed"))
                    .append('/').append(text(r, "tls_agent.resumption"))
                    .append(" sni=").append(text(r, "tls.client.server_name"))
                    .append(" client=").append(text(r, "client.address")).append(':').append(text(r, "client.port"))
                    .append(" server=").append(text(r, "server.address")).append(':').append(text(r, "server.port"))
                    .append(" thread=").append(text(r, "process.thread.name"))
                    .append(" outcome=").append(text(r, "event.outcome")).append('\n');
        }
        for (JsonNode r : all) {
            s.append(r).append('\n');
        }
        return s.toString();
    }
}
