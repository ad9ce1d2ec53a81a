package io.tlsagent.export.ecs;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.tlsagent.record.CertificateInfo;
import io.tlsagent.record.HandshakeAnatomy;
import io.tlsagent.record.HandshakeMessage;
import io.tlsagent.record.HandshakeRecord;
import io.tlsagent.record.Role;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One handshake as one JSON line with Elastic Common Schema names; what ECS lacks goes under {@code tls_agent}.
 * Strings from the network are escaped by the generator, truncated, and stripped of broken surrogates, so any
 * input still yields exactly one valid line.
 *
 * <p>Two forms: the full line (the whole anatomy: offered lists, extensions, chains, message timeline), and the
 * summary line, the facts of the handshake in about a kilobyte: version, suite, group, resumption, duration,
 * result, error, addresses, SNI, ALPN, the peer's leaf certificate (identity and expiry), JA3/JA3S/JA4, findings,
 * and the names of its ClientHello ({@code tls_agent.client_hello.id}) and chains ({@code tls_agent.peer_chain_id},
 * {@code tls_agent.local_chain_id}), which a full line of the same kind carries too.
 */
public final class EcsJson {

    static final String ECS_VERSION = "8.11.0";
    private static final int MAX_STRING = 1024;

    private final JsonFactory factory = new JsonFactory();
    private final String serviceName;
    private final long pid;

    public EcsJson(String serviceName, long pid) {
        this.serviceName = serviceName;
        this.pid = pid;
    }

    /** Appends the record's full line and a newline to {@code out}. */
    public void write(HandshakeRecord r, ByteArrayOutputStream out) throws IOException {
        write(r, out, true);
    }

    /** Appends the record's full or summary line and a newline to {@code out}. */
    public void write(HandshakeRecord r, ByteArrayOutputStream out, boolean full) throws IOException {
        try (JsonGenerator g = factory.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("@timestamp", r.timestamp().toString());
            g.writeObjectFieldStart("ecs");
            g.writeStringField("version", ECS_VERSION);
            g.writeEndObject();
            writeEvent(g, r);
            if (full) {
                writeTls(g, r);
            } else {
                writeTlsSummary(g, r);
            }
            writeEndpoints(g, r);
            if (!r.success()) {
                g.writeObjectFieldStart("error");
                g.writeStringField("type", r.error().label());
                string(g, "message", r.errorMessage());
                g.writeEndObject();
            }
            if (r.trace() != null) {
                // ECS's tracing fields: the span that was current where this client handshake started.
                g.writeObjectFieldStart("trace");
                g.writeStringField("id", r.trace().traceId());
                g.writeEndObject();
                g.writeObjectFieldStart("span");
                g.writeStringField("id", r.trace().spanId());
                g.writeEndObject();
            }
            g.writeObjectFieldStart("service");
            string(g, "name", serviceName);
            g.writeEndObject();
            g.writeObjectFieldStart("process");
            g.writeNumberField("pid", pid);
            g.writeObjectFieldStart("thread");
            string(g, "name", r.threadName());
            g.writeEndObject();
            g.writeEndObject();
            writeAgentFields(g, r, full);
            g.writeEndObject();
        }
        out.write('\n');
    }

    private static void writeEvent(JsonGenerator g, HandshakeRecord r) throws IOException {
        g.writeObjectFieldStart("event");
        g.writeStringField("kind", "event");
        g.writeArrayFieldStart("category");
        g.writeString("network");
        g.writeEndArray();
        g.writeArrayFieldStart("type");
        g.writeString("connection");
        g.writeEndArray();
        g.writeStringField("action", "tls-handshake");
        g.writeStringField("outcome", r.success() ? "success" : "failure");
        if (r.durationNanos() >= 0) {
            g.writeNumberField("duration", r.durationNanos());
        }
        g.writeEndObject();
    }

    /** What both forms of the line have first in {@code tls}: what was negotiated. */
    private static void writeNegotiated(JsonGenerator g, HandshakeRecord r) throws IOException {
        g.writeObjectFieldStart("tls");
        String[] version = ProtocolNames.split(r.protocol());
        if (version != null) {
            g.writeStringField("version_protocol", version[0]);
            g.writeStringField("version", version[1]);
        }
        string(g, "cipher", r.cipherSuite());
        string(g, "curve", r.namedGroup());
        if (r.resumed() != null) {
            g.writeBooleanField("resumed", r.resumed());
        }
        g.writeBooleanField("established", r.success());
        string(g, "next_protocol", r.applicationProtocol());
    }

    private static void writeTls(JsonGenerator g, HandshakeRecord r) throws IOException {
        writeNegotiated(g, r);
        // The peer's certificate belongs to the server when we are the client, and the other way round.
        CertificateInfo cert = r.peerCertificate();
        HandshakeAnatomy a = r.anatomy();
        boolean client = r.role() == Role.CLIENT;
        List<CertificateInfo> clientChain = a == null ? List.of() : client ? a.localChain() : a.peerChain();
        List<CertificateInfo> serverChain = a == null ? List.of() : client ? a.peerChain() : a.localChain();
        if (r.serverName() != null || (!client && cert != null)
                || (a != null && (a.ja3Md5() != null || a.clientHello() != null || !clientChain.isEmpty()))) {
            g.writeObjectFieldStart("client");
            string(g, "server_name", r.serverName());
            if (!client && cert != null) {
                writeCertificate(g, cert, a == null);
            }
            if (a != null) {
                AnatomyJson.writeEcsSide(g, a, true, clientChain);
            }
            g.writeEndObject();
        }
        if ((client && cert != null) || (a != null && (a.ja3sMd5() != null || !serverChain.isEmpty()))) {
            g.writeObjectFieldStart("server");
            if (client && cert != null) {
                writeCertificate(g, cert, a == null);
            }
            if (a != null) {
                AnatomyJson.writeEcsSide(g, a, false, serverChain);
            }
            g.writeEndObject();
        }
        g.writeEndObject();
    }

    /** The summary's {@code tls}: what was negotiated, the fingerprints, the peer's leaf (no chains, no lists). */
    private static void writeTlsSummary(JsonGenerator g, HandshakeRecord r) throws IOException {
        writeNegotiated(g, r);
        CertificateInfo cert = r.peerCertificate();
        HandshakeAnatomy a = r.anatomy();
        boolean client = r.role() == Role.CLIENT;
        String ja3 = a == null ? null : a.ja3Md5();
        String ja3s = a == null ? null : a.ja3sMd5();
        if (r.serverName() != null || ja3 != null || (!client && cert != null)) {
            g.writeObjectFieldStart("client");
            string(g, "server_name", r.serverName());
            string(g, "ja3", ja3);
            if (!client && cert != null) {
                writeCertificate(g, cert, true);
            }
            g.writeEndObject();
        }
        if (ja3s != null || (client && cert != null)) {
            g.writeObjectFieldStart("server");
            string(g, "ja3s", ja3s);
            if (client && cert != null) {
                writeCertificate(g, cert, true);
            }
            g.writeEndObject();
        }
        g.writeEndObject();
    }

    /** The peer's leaf; its {@code x509} object comes from the anatomy when there is one (it has more). */
    private static void writeCertificate(JsonGenerator g, CertificateInfo c, boolean withX509) throws IOException {
        string(g, "subject", c.subject());
        string(g, "issuer", c.issuer());
        instant(g, "not_before", c.notBefore());
        instant(g, "not_after", c.notAfter());
        g.writeObjectFieldStart("hash");
        g.writeStringField("sha256", c.sha256());
        g.writeEndObject();
        if (withX509) {
            g.writeObjectFieldStart("x509");
            string(g, "serial_number", c.serialNumber());
            g.writeEndObject();
        }
    }

    /**
     * ECS {@code client.*} and {@code server.*}: {@code address} and {@code ip} the IP of that end of the connection,
     * {@code port}, and, for the peer, {@code domain} the host name the application named (never looked up).
     */
    private static void writeEndpoints(JsonGenerator g, HandshakeRecord r) throws IOException {
        boolean client = r.role() == Role.CLIENT;
        endpoint(g, "client", client ? r.localAddress() : r.peerAddress(), client ? r.localPort() : r.peerPort(),
                client ? null : r.peerDomain());
        endpoint(g, "server", client ? r.peerAddress() : r.localAddress(), client ? r.peerPort() : r.localPort(),
                client ? r.peerDomain() : null);
    }

    private static void endpoint(JsonGenerator g, String name, String ip, int port, String domain)
            throws IOException {
        if (ip == null && port < 0 && domain == null) {
            return;
        }
        g.writeObjectFieldStart(name);
        string(g, "address", ip);
        string(g, "ip", ip);
        if (port >= 0) {
            g.writeNumberField("port", port);
        }
        string(g, "domain", domain);
        g.writeEndObject();
    }

    private static void writeAgentFields(JsonGenerator g, HandshakeRecord r, boolean full) throws IOException {
        g.writeObjectFieldStart("tls_agent");
        g.writeStringField("role", r.role().label());
        g.writeStringField("api", r.api().label());
        string(g, "provider", r.provider());
        if (r.resumption() != null) {
            g.writeStringField("resumption", r.resumption().label());
        }
        if (!full) {
            g.writeStringField("detail", "summary");
            if (r.anatomy() != null) {
                AnatomyJson.writeAgentSummary(g, r.anatomy());
            }
        }
        if (full && !r.messages().isEmpty()) {
            g.writeArrayFieldStart("messages");
            for (HandshakeMessage m : r.messages()) {
                g.writeStartObject();
                g.writeStringField("type", m.type());
                g.writeStringField("direction", m.outbound() ? "out" : "in");
                g.writeNumberField("offset_us", m.offsetMicros());
                g.writeEndObject();
            }
            g.writeEndArray();
        }
        if (full && r.anatomy() != null) {
            AnatomyJson.writeAgentFields(g, r.anatomy());
        }
        if (r.alert() != null) {
            g.writeObjectFieldStart("alert");
            string(g, "name", r.alert());
            g.writeStringField("direction", r.alertReceived() ? "received" : "sent");
            g.writeEndObject();
        }
        g.writeEndObject();
    }

    static void instant(JsonGenerator g, String field, Instant value) throws IOException {
        if (value != null) {
            g.writeStringField(field, certificateDate(value));
        }
    }

    /**
     * Certificate dates, formatted once: the same few certificates appear in line after line, several dates each,
     * and formatting an Instant was a fifth of the writer's time. Bounded: when full it starts over.
     */
    private static final int DATES = 1024;
    private static final Map<Instant, String> DATE_TEXT = new ConcurrentHashMap<>();

    private static String certificateDate(Instant value) {
        String text = DATE_TEXT.get(value);
        if (text == null) {
            text = value.toString();
            if (DATE_TEXT.size() >= DATES) {
                DATE_TEXT.clear();
            }
            DATE_TEXT.put(value, text);
        }
        return text;
    }

    static void string(JsonGenerator g, String field, String value) throws IOException {
        if (value != null) {
            g.writeStringField(field, clean(value));
        }
    }

    /** Truncates, and replaces lone UTF-16 surrogates (which have no UTF-8 form) with U+FFFD. */
    static String clean(String s) {
        String v = s.length() > MAX_STRING ? s.substring(0, MAX_STRING) : s;
        StringBuilder sb = null;
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            boolean paired = Character.isHighSurrogate(c) && i + 1 < v.length()
                    && Character.isLowSurrogate(v.charAt(i + 1));
            if (paired) {
                if (sb != null) {
                    sb.append(c).append(v.charAt(i + 1));
                }
                i++;
            } else if (Character.isSurrogate(c)) {
                if (sb == null) {
                    sb = new StringBuilder(v.length()).append(v, 0, i);
                }
                sb.append('\uFFFD');
            } else if (sb != null) {
                sb.append(c);
            }
        }
        return sb == null ? v : sb.toString();
    }
}
