package io.tlsagent.testsupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * The agent's JSON lines (one ECS record per handshake and side), read by dotted ECS path
 * ({@code tls.server.hash.sha256}) and filtered: an unmodifiable list, so AssertJ's list assertions and
 * {@code get}, {@code stream}, {@code subList} work as on any list. Parsing is strict: a line that is not one JSON
 * object fails, because the agent must never write one.
 */
public final class Records extends AbstractList<JsonNode> {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<JsonNode> all;

    private Records(List<JsonNode> all) {
        this.all = all;
    }

    public static Records of(List<JsonNode> records) {
        return new Records(List.copyOf(records));
    }

    /** Each line one JSON object (an empty list for none). */
    public static Records parse(List<String> lines) {
        List<JsonNode> records = new ArrayList<>(lines.size());
        for (String line : lines) {
            records.add(parseLine(line));
        }
        return new Records(List.copyOf(records));
    }

    /** The lines of a log file; none when the file does not exist (the agent had nothing to write). */
    public static Records read(Path log) throws IOException {
        return Files.exists(log) ? parse(Files.readAllLines(log, StandardCharsets.UTF_8)) : parse(List.of());
    }

    /**
     * Counts the lines of a log, each parsed as one JSON object, without keeping them (a soak writes millions); none
     * when the file does not exist yet (the agent creates it with its first line).
     */
    public static long count(Path log) throws IOException {
        if (!Files.exists(log)) {
            return 0;
        }
        long n = 0;
        try (BufferedReader r = Files.newBufferedReader(log, StandardCharsets.UTF_8)) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                parseLine(line);
                n++;
            }
        }
        return n;
    }

    private static JsonNode parseLine(String line) {
        JsonNode node;
        try {
            node = JSON.readTree(line);
        } catch (IOException e) {
            throw new UncheckedIOException("not a JSON line: " + line, e);
        }
        if (node == null || !node.isObject()) {
            throw new AssertionError("not one JSON object: " + line);
        }
        return node;
    }

    /** The node at a dotted path, or null when a part is absent. */
    public static JsonNode node(JsonNode record, String path) {
        JsonNode node = record;
        for (String part : path.split("\\.")) {
            if (node == null) {
                return null;
            }
            node = node.get(part);
        }
        return node;
    }

    /** The text at a dotted path, or null when absent (or JSON null). */
    public static String text(JsonNode record, String path) {
        JsonNode node = node(record, path);
        return node == null || node.isNull() || node.isMissingNode() ? null : node.asText();
    }

    public static boolean has(JsonNode record, String path) {
        return text(record, path) != null;
    }

    /** The elements of the array at a dotted path, as text; empty when absent. */
    public static List<String> texts(JsonNode record, String path) {
        List<String> out = new ArrayList<>();
        JsonNode node = node(record, path);
        if (node != null) {
            node.forEach(n -> out.add(n.asText()));
        }
        return out;
    }

    @Override
    public JsonNode get(int index) {
        return all.get(index);
    }

    @Override
    public int size() {
        return all.size();
    }

    public Records where(Predicate<JsonNode> p) {
        return new Records(all.stream().filter(p).collect(Collectors.toUnmodifiableList()));
    }

    /** The records whose text at {@code path} equals {@code value} (null: absent). */
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

    /** The records of handshakes on threads whose name starts with {@code prefix} (a Workload step: "step/"). */
    public Records threadPrefix(String prefix) {
        return where(r -> {
            String thread = text(r, "process.thread.name");
            return thread != null && thread.startsWith(prefix);
        });
    }

    /** The text at {@code path} of each record, in order (null where absent). */
    public List<String> values(String path) {
        List<String> out = new ArrayList<>();
        for (JsonNode r : all) {
            out.add(text(r, path));
        }
        return out;
    }

    /** The distinct texts at {@code path}, sorted, leaving out records without one. */
    public Set<String> distinct(String path) {
        Set<String> out = new TreeSet<>();
        for (JsonNode r : all) {
            String v = text(r, path);
            if (v != null) {
                out.add(v);
            }
        }
        return out;
    }

    /** The records sorted by {@code @timestamp} (the end of each handshake). */
    public Records inTimeOrder() {
        List<JsonNode> sorted = new ArrayList<>(all);
        sorted.sort(Comparator.comparing(r -> Instant.parse(text(r, "@timestamp"))));
        return new Records(List.copyOf(sorted));
    }

    /** One line per record with what identifies it, then the full lines: for assertion messages. */
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
