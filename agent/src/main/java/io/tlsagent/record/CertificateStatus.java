package io.tlsagent.record;

import java.util.Locale;

/** Where a certificate stands in its validity period at a given time. */
public enum CertificateStatus {
    VALID,
    /** Valid, but not_after is within the configured number of days ({@code expiring_days}). */
    EXPIRING,
    /** Past not_after. */
    EXPIRED,
    /** Before not_before. */
    NOT_YET_VALID;

    /** Lower-case name for metrics, e.g. {@code not_yet_valid}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
