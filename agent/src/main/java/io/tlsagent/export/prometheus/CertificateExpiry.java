package io.tlsagent.export.prometheus;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.tlsagent.export.Exporter;
import io.tlsagent.export.meters.TlsMeters;
import io.tlsagent.record.CertificateInfo;
import io.tlsagent.record.HandshakeAnatomy;
import io.tlsagent.record.HandshakeRecord;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@link TlsMeters#CERTIFICATE_EXPIRY}: not_after of every distinct certificate seen, answering "what expires in
 * the next 14 days" across everything this JVM talks to. At most {@code maxSeries} series: the least recently
 * seen certificate's series is removed to make room. This JVM's own key material has series of its own
 * ({@link LocalCertificateMeters}), which these never evict.
 */
public final class CertificateExpiry implements Exporter {

    private static final int MAX_LABEL = 256;

    /** Where the gauges are: the agent's registry, or an application's. */
    public interface Gauges {
        /** Registers the gauge of one certificate ({@code tags}: key, value, ...); returns what {@link #remove} takes. */
        Object register(String[] tags, double notAfter);

        void remove(Object gauge);
    }

    private final Gauges gauges;
    private final Map<Key, Object> series;

    /** Who presented a certificate, and its fingerprint. */
    private static final class Key {
        final String presentedBy;
        final String sha256;

        Key(String presentedBy, String sha256) {
            this.presentedBy = presentedBy;
            this.sha256 = sha256;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key && ((Key) o).presentedBy.equals(presentedBy)
                    && java.util.Objects.equals(((Key) o).sha256, sha256);
        }

        @Override
        public int hashCode() {
            return 31 * presentedBy.hashCode() + java.util.Objects.hashCode(sha256);
        }
    }

    public CertificateExpiry(MeterRegistry registry, int maxSeries) {
        this(micrometer(registry), maxSeries);
    }

    public CertificateExpiry(Gauges gauges, int maxSeries) {
        this.gauges = gauges;
        this.series = new LinkedHashMap<Key, Object>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Key, Object> eldest) {
                if (size() > maxSeries) {
                    gauges.remove(eldest.getValue());
                    return true;
                }
                return false;
            }
        };
    }

    /** The gauges in a Micrometer registry. */
    static Gauges micrometer(MeterRegistry registry) {
        return new Gauges() {
            @Override
            public Object register(String[] tags, double notAfter) {
                return Gauge.builder(TlsMeters.CERTIFICATE_EXPIRY.meterName(), () -> notAfter)
                        .description(TlsMeters.CERTIFICATE_EXPIRY.description())
                        .baseUnit("seconds")
                        .tags(tags)
                        .register(registry);
            }

            @Override
            public void remove(Object gauge) {
                registry.remove((Gauge) gauge);
            }
        };
    }

    @Override
    public void export(HandshakeRecord r) {
        HandshakeAnatomy a = r.anatomy();
        if (a != null) {
            seen("peer", a.peerChain());
            seen("local", a.localChain());
        }
    }

    private synchronized void seen(String presentedBy, List<CertificateInfo> chain) {
        for (int i = 0; i < chain.size(); i++) {
            CertificateInfo c = chain.get(i);
            Key key = new Key(presentedBy, c.sha256());
            if (series.get(key) != null || c.notAfter() == null) {
                continue; // get() also marks it recently seen
            }
            series.put(key, register(gauges, presentedBy, c));
        }
    }

    /** Registers the gauge of {@code c} ({@code c.notAfter()} not null) as presented by {@code presentedBy}. */
    static Object register(Gauges gauges, String presentedBy, CertificateInfo c) {
        return gauges.register(TlsMeters.CERTIFICATE_EXPIRY.tags(List.of(presentedBy, label(c.subject()),
                label(c.issuer()), label(c.serialNumber()))), c.notAfter().getEpochSecond());
    }

    synchronized int size() {
        return series.size();
    }

    private static String label(String value) {
        if (value == null) {
            return "";
        }
        return value.length() > MAX_LABEL ? value.substring(0, MAX_LABEL) : value;
    }
}
