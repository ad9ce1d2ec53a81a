package io.tlsagent.export.otel;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.tlsagent.export.ecs.EcsJson;
import io.tlsagent.export.meters.OtelNames;
import io.tlsagent.record.Api;
import io.tlsagent.record.HandshakeRecord;
import io.tlsagent.record.Role;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * The attributes of a handshake's OTLP log record: the JSON line's content (one formatter, {@link EcsJson}), its
 * nested names joined with dots, under the OpenTelemetry semantic conventions' names where they differ from ECS's
 * ({@link OtelNames#LOG_RENAMED}), and the connection's ends as the conventions define them ({@code server.address} is the
 * name the client asked for when it sent one, {@code network.peer.*} the socket's peer). What the log record or
 * its resource already says ({@link OtelNames#LOG_LEFT_OUT}: time, service, process, trace context) is left out. Arrays of
 * scalars stay arrays; an array of objects becomes an array of their JSON texts. Used by one thread at a time.
 */
final class LogAttributes {

    private final EcsJson ecs;
    private final JsonFactory json = new JsonFactory();
    private final ByteArrayOutputStream line = new ByteArrayOutputStream(4096);

    LogAttributes(EcsJson ecs) {
        this.ecs = ecs;
    }

    Attributes of(HandshakeRecord r) throws IOException {
        line.reset();
        ecs.write(r, line);
        AttributesBuilder b = Attributes.builder();
        try (JsonParser p = json.createParser(line.toByteArray())) {
            if (p.nextToken() == JsonToken.START_OBJECT) {
                object(p, "", b);
            }
        }
        endpoints(r, b);
        return b.build();
    }

    private void object(JsonParser p, String prefix, AttributesBuilder b) throws IOException {
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = prefix + p.getCurrentName();
            JsonToken t = p.nextToken();
            if (t == JsonToken.START_OBJECT) {
                object(p, name + ".", b);
            } else if (t == JsonToken.START_ARRAY) {
                array(p, name, b);
            } else if (!OtelNames.LOG_LEFT_OUT.contains(name)) {
                scalar(p, t, OtelNames.LOG_RENAMED.getOrDefault(name, name), b);
            }
        }
    }

    private static void scalar(JsonParser p, JsonToken t, String name, AttributesBuilder b) throws IOException {
        switch (t) {
            case VALUE_STRING:
                b.put(name, p.getText());
                break;
            case VALUE_NUMBER_INT:
                b.put(name, p.getLongValue());
                break;
            case VALUE_NUMBER_FLOAT:
                b.put(name, p.getDoubleValue());
                break;
            case VALUE_TRUE:
            case VALUE_FALSE:
                b.put(name, t == JsonToken.VALUE_TRUE);
                break;
            default:
                break; // null: absent
        }
    }

    /** Strings, numbers or booleans as a typed array; anything else as the JSON text of each element. */
    private void array(JsonParser p, String name, AttributesBuilder b) throws IOException {
        List<String> strings = new ArrayList<>();
        List<Long> longs = new ArrayList<>();
        List<Boolean> booleans = new ArrayList<>();
        List<String> texts = new ArrayList<>();
        JsonToken t;
        while ((t = p.nextToken()) != JsonToken.END_ARRAY && t != null) {
            if (t == JsonToken.VALUE_STRING) {
                strings.add(p.getText());
            } else if (t == JsonToken.VALUE_NUMBER_INT) {
                longs.add(p.getLongValue());
            } else if (t == JsonToken.VALUE_TRUE || t == JsonToken.VALUE_FALSE) {
                booleans.add(t == JsonToken.VALUE_TRUE);
            }
            texts.add(t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY ? text(p) : p.getText());
        }
        if (OtelNames.LOG_LEFT_OUT.contains(name)) {
            return;
        }
        String key = OtelNames.LOG_RENAMED.getOrDefault(name, name);
        if (strings.size() == texts.size()) {
            b.put(AttributeKey.stringArrayKey(key), strings);
        } else if (longs.size() == texts.size()) {
            b.put(AttributeKey.longArrayKey(key), longs);
        } else if (booleans.size() == texts.size()) {
            b.put(AttributeKey.booleanArrayKey(key), booleans);
        } else {
            b.put(AttributeKey.stringArrayKey(key), texts);
        }
    }

    /** The JSON text of the value at the parser (an object or array is read to its end). */
    private String text(JsonParser p) throws IOException {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = json.createGenerator(out)) {
            g.copyCurrentStructure(p);
        }
        return out.toString();
    }

    /**
     * The conventions' view of the connection: {@code server.*} is the server (its name as the client asked for it
     * in SNI, else the host the client named, else its address), {@code client.*} the client, {@code network.peer.*}
     * and {@code network.local.*} the connection's two ends where they are known: a socket's, and an engine's that
     * its library bound to its connection (it has a local port; an engine alone knows only the peer its application
     * named).
     */
    private static void endpoints(HandshakeRecord r, AttributesBuilder b) {
        boolean client = r.role() == Role.CLIENT;
        String serverAddress = r.serverName() != null ? r.serverName()
                : client ? (r.peerDomain() != null ? r.peerDomain() : r.peerAddress()) : r.localAddress();
        put(b, "server.address", serverAddress, client ? r.peerPort() : r.localPort(), "server.port");
        put(b, "client.address", client ? r.localAddress() : r.peerAddress(), client ? r.localPort() : r.peerPort(),
                "client.port");
        if (r.api() == Api.SSL_SOCKET || r.localPort() >= 0) {
            put(b, "network.peer.address", r.peerAddress(), r.peerPort(), "network.peer.port");
            put(b, "network.local.address", r.localAddress(), r.localPort(), "network.local.port");
        }
    }

    private static void put(AttributesBuilder b, String addressName, String address, int port, String portName) {
        if (address != null) {
            b.put(addressName, address);
        }
        if (port >= 0) {
            b.put(portName, (long) port);
        }
    }
}
