package io.tlsagent.it;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.stream.Collectors;

/** Small readers over the agent's JSON lines, by ECS path. */
final class Records {

    private Records() {}

    /** The text at a dotted path (as the ECS names read: {@code tls.server.hash.sha256}), or null. */
    static String text(JsonNode record, String path) {
        JsonNode node = node(record, path);
        return node == null || node.isNull() || node.isMissingNode() ? null : node.asText();
    }

    static JsonNode node(JsonNode record, String path) {
        JsonNode node = record;
        for (String part : path.split("\\.")) {
            if (node == null) {
                return null;
            }
            node = part.equals("@timestamp") ? node.get("@timestamp") : node.get(part);
        }
        return node;
    }

    static boolean has(JsonNode record, String path) {
        return text(record, path) != null;
    }

    static List<JsonNode> ofThreadPrefix(List<JsonNode> records, String prefix) {
        return records.stream().filter(r -> {
            String thread = text(r, "process.thread.name");
            return thread != null && thread.startsWith(prefix);
        }).collect(Collectors.toList());
    }

    static List<JsonNode> ofRole(List<JsonNode> records, String role) {
        return records.stream().filter(r -> role.equals(text(r, "tls_agent.role"))).collect(Collectors.toList());
    }
}
