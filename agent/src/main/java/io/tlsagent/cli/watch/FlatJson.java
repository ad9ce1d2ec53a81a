package io.tlsagent.cli.watch;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;

/** A JSON object's scalar values by dotted path ({@code tls.cipher}); arrays are skipped. */
final class FlatJson {

    private static final JsonFactory FACTORY = new JsonFactory();

    private FlatJson() {}

    static Map<String, String> parse(String line) throws IOException {
        Map<String, String> values = new HashMap<>();
        Deque<String> path = new ArrayDeque<>();
        try (JsonParser p = FACTORY.createParser(line)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IOException("not a JSON object");
            }
            String field = null;
            JsonToken t;
            while ((t = p.nextToken()) != null) {
                switch (t) {
                    case FIELD_NAME:
                        field = p.getCurrentName();
                        break;
                    case START_OBJECT:
                        path.addLast(field);
                        break;
                    case END_OBJECT:
                        path.pollLast();
                        break;
                    case START_ARRAY:
                        p.skipChildren();
                        break;
                    default:
                        values.put(join(path, field), p.getValueAsString());
                }
            }
        }
        return values;
    }

    private static String join(Deque<String> path, String field) {
        StringBuilder sb = new StringBuilder();
        for (String p : path) {
            sb.append(p).append('.');
        }
        return sb.append(field).toString();
    }
}
