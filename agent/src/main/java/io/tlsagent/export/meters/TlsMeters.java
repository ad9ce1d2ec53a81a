package io.tlsagent.export.meters;

import java.util.List;

/**
 * Every meter the agent exports, in one place; the README's metrics table mirrors this enum (a test keeps
 * them equal). Label values come from bounded sets only: peers, SNI and certificates go to the JSON log.
 */
public enum TlsMeters {
    HANDSHAKES("{handshake}", "tls.handshakes", "tls_handshakes_total", "counter",
            List.of("role", "protocol", "cipher_suite", "resumed", "result", "provider"),
            "TLS handshakes, by outcome; result is success or the error type"),
    HANDSHAKE_DURATION("s", "tls.handshake.duration", "tls_handshake_duration_seconds", "histogram",
            List.of("role", "protocol", "resumed", "result"),
            "Time from the first handshake message sent or received to completion or failure"),
    TRUST_CHECK_DURATION("s", "tls.trust.check.duration", "tls_trust_check_duration_seconds", "histogram",
            List.of("role", "result"),
            "Time the trust manager took to check the peer's certificate chain; result is success or failure"),
    CERTIFICATE_EXPIRY("s", "tls.certificate.expiry.timestamp", "tls_certificate_expiry_timestamp_seconds", "gauge",
            List.of("presented_by", "subject", "issuer", "serial"),
            "not_after of each distinct certificate: seen in handshakes (presented_by peer or local; bounded, least"
                    + " recently seen evicted) or loaded by this JVM (local_keystore, local_truststore, jdk_truststore;"
                    + " bounded on their own, never evicted)"),
    LOCAL_CERTIFICATES("{certificate}", "tls.local.certificates", "tls_local_certificates", "gauge",
            List.of("source", "status"),
            "This JVM's own certificates (key stores and trust stores it loaded), by source and status now: valid,"
                    + " expiring (within expiring_days), expired, not_yet_valid"),
    HANDSHAKE_FINDINGS("{finding}", "tls.handshake.findings", "tls_handshake_findings_total", "counter",
            List.of("role", "finding"),
            "Weak-configuration findings of handshakes, from a fixed set"),
    CLIENT_HELLOS("{hello}", "tls.client.hellos", "tls_client_hellos_total", "counter",
            List.of("role", "max_offered_version", "post_quantum_offered"),
            "ClientHellos sent (client) or received (server), by the highest version offered and whether a"
                    + " post-quantum group (e.g. X25519MLKEM768) was among the supported groups"),
    KEY_EXCHANGE_GROUPS("{handshake}", "tls.key.exchange.groups", "tls_key_exchange_groups_total", "counter",
            List.of("role", "group", "post_quantum"),
            "Handshakes by the key-exchange group negotiated (the registry's name, else other), where known"
                    + " (SunJSSE's internals, other engines' plaintext handshake); post_quantum is true for hybrid and"
                    + " ML-KEM groups"),
    WIRE_UNREAD("{handshake}", "tls.agent.wire.unread", "tls_agent_wire_unread_total", "counter",
            List.of(),
            "Handshakes of engines other than SunJSSE whose plaintext records were not all read (an SSLv2-format"
                    + " ClientHello, bytes that are no TLS record, a message over its cap, bytes the agent could not"
                    + " place); each record's parse_errors say which"),
    AGENT_INFO("1", "tls.agent.info", "tls_agent_info", "gauge",
            List.of("version", "java_version"),
            "Always 1; the agent's version and the JVM's"),
    AGENT_ERRORS("{error}", "tls.agent.errors", "tls_agent_errors_total", "counter",
            List.of(),
            "Errors inside the agent that were swallowed so the application never saw them"),
    TRACKED("{object}", "tls.agent.tracked", "tls_agent_tracked", "gauge",
            List.of(),
            "Handshakes, engines and sockets the agent follows right now (weakly held, at most 100000 of each kind)"),
    LOG_DROPPED("{line}", "tls.agent.log.dropped", "tls_agent_log_dropped_total", "counter",
            List.of(),
            "JSON log lines dropped because the queue was full or the log could not be written"),
    RECORDS_DROPPED("{record}", "tls.agent.records.dropped", "tls_agent_records_dropped_total", "counter",
            List.of(),
            "Handshakes the exporters (histograms, log, watch) never saw because the export queue was full (in"
                    + " records or bytes); tls_handshakes_total still counts them"),
    OTLP_LOG_RECORDS_DROPPED("{record}", "tls.agent.otlp.log.records.dropped",
            "tls_agent_otlp_log_records_dropped_total", "counter",
            List.of(),
            "Handshake log records not delivered over OTLP: the queue was full, or the Collector was unreachable"
                    + " or refused them after retries (401, 403 and 413 are not retried)"),
    OTLP_METRIC_EXPORTS_FAILED("{export}", "tls.agent.otlp.metric.exports.failed",
            "tls_agent_otlp_metric_exports_failed_total", "counter",
            List.of(),
            "OTLP metric pushes that failed; the next one that succeeds carries the cumulative values");

    /** The histograms' buckets, from 100 µs (a resumption on loopback) to 10 s (a stuck peer), in nanoseconds. */
    private static final long[] BUCKET_NANOS = {
        100_000, 250_000, 500_000, 1_000_000, 2_500_000, 5_000_000, 10_000_000, 25_000_000, 50_000_000, 100_000_000,
        250_000_000, 500_000_000, 1_000_000_000, 2_500_000_000L, 5_000_000_000L, 10_000_000_000L
    };

    private final String unit;
    private final String meterName;
    private final String prometheusName;
    private final String type;
    private final List<String> labels;
    private final String description;

    TlsMeters(String unit, String meterName, String prometheusName, String type, List<String> labels,
            String description) {
        this.unit = unit;
        this.meterName = meterName;
        this.prometheusName = prometheusName;
        this.type = type;
        this.labels = labels;
        this.description = description;
    }

    /** The Micrometer name; also the OpenTelemetry instrument's name (see {@link OtelNames}). */
    public String meterName() {
        return meterName;
    }

    /** The OpenTelemetry instrument's unit (UCUM: {@code s}; a count of things in braces, {@code {handshake}}). */
    public String unit() {
        return unit;
    }

    /** The name in a Prometheus scrape (histograms add _bucket, _count, _sum, _max). */
    public String prometheusName() {
        return prometheusName;
    }

    public String type() {
        return type;
    }

    public List<String> labels() {
        return labels;
    }

    public String description() {
        return description;
    }

    /** This meter's labels with these values (in {@link #labels()}' order) as key, value, key, value, ... */
    public String[] tags(List<String> values) {
        String[] tags = new String[2 * values.size()];
        for (int i = 0; i < values.size(); i++) {
            tags[2 * i] = labels.get(i);
            tags[2 * i + 1] = values.get(i);
        }
        return tags;
    }

    /** The histograms' bucket bounds in nanoseconds (a copy). */
    public static long[] bucketNanos() {
        return BUCKET_NANOS.clone();
    }
}
