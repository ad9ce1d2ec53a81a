package io.tlsagent.export.meters;

import io.tlsagent.anatomy.KeyExchangeGroups;
import io.tlsagent.anatomy.TlsNames;
import io.tlsagent.record.Finding;
import io.tlsagent.record.HandshakeAnatomy;
import io.tlsagent.record.HandshakeRecord;

/**
 * The meters a handshake record feeds on the export thread ({@link TlsMeters#HANDSHAKE_DURATION},
 * {@link TlsMeters#TRUST_CHECK_DURATION}, {@link TlsMeters#HANDSHAKE_FINDINGS}, {@link TlsMeters#CLIENT_HELLOS},
 * {@link TlsMeters#KEY_EXCHANGE_GROUPS}),
 * whatever registry records them: the agent's own or an application's. Label values are in {@link TlsMeters}' order.
 */
public interface RecordedMeters {

    /** A duration for a histogram. */
    void record(TlsMeters histogram, long nanos, String... labelValues);

    /** One more for a counter. */
    void increment(TlsMeters counter, String... labelValues);

    /** Feeds {@code into} with what {@code r} adds to these meters. */
    static void feed(HandshakeRecord r, LabelValues labels, RecordedMeters into) {
        String role = r.role().label();
        HandshakeAnatomy a = r.anatomy();
        if (a != null) {
            if (a.trustCheckNanos() >= 0) {
                into.record(TlsMeters.TRUST_CHECK_DURATION, a.trustCheckNanos(), role,
                        a.trustCheckFailed() ? "failure" : "success");
            }
            for (Finding finding : a.findings()) {
                into.increment(TlsMeters.HANDSHAKE_FINDINGS, role, finding.label());
            }
            if (a.clientHello() != null) {
                into.increment(TlsMeters.CLIENT_HELLOS, role,
                        labels.protocol(TlsNames.version(a.clientHello().highestVersion())),
                        String.valueOf(KeyExchangeGroups.anyPostQuantum(a.clientHello().supportedGroups())));
            }
        }
        if (r.namedGroup() != null) {
            into.increment(TlsMeters.KEY_EXCHANGE_GROUPS, role, KeyExchangeGroups.label(r.namedGroup()),
                    String.valueOf(KeyExchangeGroups.isPostQuantum(r.namedGroup())));
        }
        if (r.durationNanos() >= 0) {
            into.record(TlsMeters.HANDSHAKE_DURATION, r.durationNanos(), role, labels.protocol(r.protocol()),
                    LabelValues.resumed(r), LabelValues.result(r));
        }
    }
}
