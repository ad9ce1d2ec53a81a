package io.tlsagent.export.meters;

import java.util.List;

/**
 * Every meter the agent exports, in one place; the README's metrics table mirrors this enum (a test keeps
 * them equal). Label values come from bounded sets only: peers, SNI and certificates go to the JSON log.
 */
public enum TlsMeters {
    HANDSHAKES("tls.handshakes", "tls_handshakes_total", "counter",
            List.of("role", "protocol", "cipher_suite", "resumed", "result", "provider"),
            "TLS handshakes, by outcome; result is success or the error type"),
    HANDSHAKE_DURATION("tls.handshake.duration", "tls_handshake_duration_seconds", "histogram",
            List.of("role", "protocol", "resumed", "result"),
            "Time from the first handshake message sent or received to completion or failure"),
    TRUST_CHECK_DURATION("tls.trust.check.duration", "tls_trust_check_duration_seconds", "histogram",
            List.of("role", "result"),
            "Time the trust manager took to check the peer's certificate chain; result is success or failure"),
    CERTIFICATE_EXPIRY("tls.certificate.expiry.timestamp", "tls_certificate_expiry_timestamp_seconds", "gauge",
            List.of("presented_by", "subject", "issuer", "serial"),
            "not_after of each distinct certificate seen, peer's or local; bounded, least recently seen evicted"),
    HANDSHAKE_FINDINGS("tls.handshake.findings", "tls_handshake_findings_total", "counter",
            List.of("role", "finding"),
            "Weak-configuration findings of handshakes, from a fixed set"),
    CLIENT_HELLOS("tls.client.hellos", "tls_client_hellos_total", "counter",
            List.of("role", "max_offered_version"),
            "ClientHellos sent (client) or received (server), by the highest version offered"),
    AGENT_INFO("tls.agent.info", "tls_agent_info", "gauge",
            List.of("version", "java_version"),
            "Always 1; the agent's version and the JVM's"),
    AGENT_ERRORS("tls.agent.errors", "tls_agent_errors_total", "counter",
            List.of(),
            "Errors inside the agent that were swallowed so the application never saw them"),
    TRACKED("tls.agent.tracked", "tls_agent_tracked", "gauge",
            List.of(),
            "Handshakes, engines and sockets the agent follows right now (weakly held, at most 100000 of each kind)"),
    LOG_DROPPED("tls.agent.log.dropped", "tls_agent_log_dropped_total", "counter",
            List.of(),
            "JSON log lines dropped because the queue was full or the log could not be written"),
    RECORDS_DROPPED("tls.agent.records.dropped", "tls_agent_records_dropped_total", "counter",
            List.of(),
            "Handshakes the exporters (histograms, log, watch) never saw because the export queue was full (in"
                    + " records or bytes); tls_handshakes_total still counts them");

    private final String meterName;
    private final String prometheusName;
    private final String type;
    private final List<String> labels;
    private final String description;

    TlsMeters(String meterName, String prometheusName, String type, List<String> labels, String description) {
        this.meterName = meterName;
        this.prometheusName = prometheusName;
        this.type = type;
        this.labels = labels;
        this.description = description;
    }

    /** The Micrometer name. */
    public String meterName() {
        return meterName;
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
}
