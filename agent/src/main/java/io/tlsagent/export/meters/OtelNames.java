package io.tlsagent.export.meters;

import io.tlsagent.export.ecs.ProtocolNames;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * The agent's names the OpenTelemetry way. The meters' labels: the semantic conventions' attributes where they have one
 * ({@code tls.protocol.*}, {@code tls.cipher}, {@code tls.resumed}, {@code error.type}), else the agent's own
 * namespace {@code tls_agent.*} (as in the JSON log). The instruments keep the meters' names ({@link TlsMeters});
 * the attribute sets are the labels' sets, so they stay bounded. The README's mapping table mirrors this.
 */
public final class OtelNames {

    /** Label to attribute(s); {@code protocol} splits into the conventions' name and version. */
    public static final Map<String, List<String>> ATTRIBUTES;

    static {
        Map<String, List<String>> m = new LinkedHashMap<>();
        m.put("role", List.of("tls_agent.role"));
        m.put("protocol", List.of("tls.protocol.name", "tls.protocol.version"));
        m.put("cipher_suite", List.of("tls.cipher"));
        m.put("resumed", List.of("tls.resumed"));
        m.put("result", List.of("error.type"));
        m.put("provider", List.of("tls_agent.provider"));
        m.put("finding", List.of("tls_agent.finding"));
        m.put("max_offered_version", List.of("tls_agent.max_offered_version"));
        m.put("post_quantum_offered", List.of("tls_agent.post_quantum_offered"));
        m.put("group", List.of("tls_agent.key_exchange_group"));
        m.put("post_quantum", List.of("tls_agent.post_quantum"));
        ATTRIBUTES = java.util.Collections.unmodifiableMap(m);
    }

    /**
     * The JSON log's fields (ECS) that the OTLP log record of a handshake names the conventions' way; every other
     * field keeps its ECS name, except those in {@link #LOG_LEFT_OUT}.
     */
    public static final Map<String, String> LOG_RENAMED = Map.of(
            "tls.version_protocol", "tls.protocol.name",
            "tls.version", "tls.protocol.version",
            "process.thread.name", "thread.name");

    /**
     * Fields the log record itself or its resource carries (time, service, process, trace context), or that it
     * replaces with the conventions' view of the connection ({@code server.*}, {@code client.*},
     * {@code network.peer.*}, {@code network.local.*}; {@code server.address} is the SNI name when there is one).
     */
    public static final Set<String> LOG_LEFT_OUT = Set.of("@timestamp", "ecs.version", "event.kind",
            "event.category", "event.type", "event.action", "event.outcome", "service.name", "process.pid",
            "trace.id", "span.id", "tls.client.server_name", "client.address", "client.port", "server.address",
            "server.port");

    private OtelNames() {}

    /**
     * Gives each attribute of these label values ({@code meter}'s labels, in order) as name and value (a String or a
     * Boolean). What a label says is absent is left out, as the conventions do: no {@code error.type} on success,
     * no {@code tls.cipher} when none was negotiated, no {@code tls.resumed} where the implementation cannot tell.
     */
    public static void attributes(TlsMeters meter, List<String> values, BiConsumer<String, Object> out) {
        for (int i = 0; i < values.size(); i++) {
            String label = meter.labels().get(i);
            String value = values.get(i);
            switch (label) {
                case "protocol":
                    String[] split = ProtocolNames.split(value);
                    if (split != null) {
                        out.accept("tls.protocol.name", split[0]);
                        out.accept("tls.protocol.version", split[1]);
                    } else if (!value.equals(LabelValues.NONE)) {
                        out.accept("tls.protocol.version", value);
                    }
                    break;
                case "cipher_suite":
                    if (!value.equals(LabelValues.NONE)) {
                        out.accept("tls.cipher", value);
                    }
                    break;
                case "resumed":
                    if (value.equals("true") || value.equals("false")) {
                        out.accept("tls.resumed", Boolean.valueOf(value));
                    }
                    break;
                case "post_quantum":
                case "post_quantum_offered":
                    out.accept(ATTRIBUTES.get(label).get(0), Boolean.valueOf(value));
                    break;
                case "result":
                    if (!value.equals("success")) {
                        out.accept("error.type", value);
                    }
                    break;
                default:
                    List<String> names = ATTRIBUTES.get(label);
                    out.accept(names != null ? names.get(0) : "tls_agent." + label, value);
            }
        }
    }
}
