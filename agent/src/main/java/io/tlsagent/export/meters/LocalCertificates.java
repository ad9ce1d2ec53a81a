package io.tlsagent.export.meters;

import io.tlsagent.anatomy.Findings;
import io.tlsagent.record.CertificateStatus;
import io.tlsagent.record.KeyMaterialSource;
import io.tlsagent.record.LocalCertificate;
import io.tlsagent.util.AgentLog;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * This JVM's own certificates ({@link LocalCertificate}), each once per source, in the order they were loaded: what
 * {@link TlsMeters#CERTIFICATE_EXPIRY} (presented_by local_keystore, local_truststore, jdk_truststore) and
 * {@link TlsMeters#LOCAL_CERTIFICATES} show. Bounded on its own ({@link #MAX} certificates; more are dropped, said
 * once): the peers' certificates never push these out, and nothing is ever evicted. Written rarely (a key store
 * loaded), read at each scrape.
 */
public final class LocalCertificates implements Consumer<List<LocalCertificate>> {

    public static final int MAX = 1000;

    private final int max;
    private final int expiringDays;
    private final Map<String, LocalCertificate> certificates = new LinkedHashMap<>();
    private long dropped;
    /** Brings the certificates read since the last call in (the capture summarises them on the caller's thread). */
    private volatile Runnable pending = () -> {};

    public LocalCertificates(int expiringDays) {
        this(MAX, expiringDays);
    }

    LocalCertificates(int max, int expiringDays) {
        this.max = max;
        this.expiringDays = expiringDays;
    }

    /** Adds the certificates not known yet (by source and SHA-256); past the bound, drops them and says so once. */
    @Override
    public synchronized void accept(List<LocalCertificate> loaded) {
        for (LocalCertificate c : loaded) {
            String key = c.source().label() + "/" + c.certificate().sha256();
            if (c.certificate().sha256() == null || certificates.containsKey(key)) {
                continue;
            }
            if (certificates.size() >= max) {
                dropped++;
                AgentLog.once("this JVM loaded more than " + max + " certificates; the ones past that are not in"
                        + " tls_certificate_expiry_timestamp_seconds or tls_local_certificates");
                continue;
            }
            certificates.put(key, c);
        }
    }

    /** Where certificates read but not yet summarised are brought in from, by {@link #refresh}. */
    public void takePendingFrom(Runnable summarize) {
        pending = summarize;
    }

    /** Brings in what was loaded since the last call: on a thread of the agent's, before the registries read. */
    public void refresh() {
        pending.run();
    }

    /** All of them, in the order they were first loaded. */
    public synchronized List<LocalCertificate> all() {
        return new ArrayList<>(certificates.values());
    }

    /** How many of {@code source}'s certificates have {@code status} at {@code now}. */
    public synchronized int count(KeyMaterialSource source, CertificateStatus status, Instant now) {
        int n = 0;
        for (LocalCertificate c : certificates.values()) {
            if (c.source() == source && Findings.status(c.certificate(), now, expiringDays) == status) {
                n++;
            }
        }
        return n;
    }

    /** Certificates left out because there were more than the bound. */
    public synchronized long dropped() {
        return dropped;
    }
}
