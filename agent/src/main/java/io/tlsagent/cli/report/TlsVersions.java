package io.tlsagent.cli.report;

import java.util.ArrayList;
import java.util.List;

/** TLS versions in order, as bit masks, and which cipher suites belong to which version. */
final class TlsVersions {

    static final List<String> ORDER = List.of("SSLv3", "TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3");
    static final int ALL = (1 << ORDER.size()) - 1;
    static final int TLS12 = ORDER.indexOf("TLSv1.2");
    static final int TLS13 = ORDER.indexOf("TLSv1.3");

    private TlsVersions() {}

    /** The index in {@link #ORDER}, or -1 for a name the report does not know (a draft, DTLS, GREASE). */
    static int rank(String name) {
        return name == null ? -1 : ORDER.indexOf(name);
    }

    /**
     * What a ClientHello offered: its {@code supported_versions} list when there is one (TLS 1.3 style), else its
     * legacy version and every version below it.
     */
    static int offered(String legacyVersion, List<String> versions) {
        int mask = 0;
        for (String v : versions) {
            int r = rank(v);
            if (r >= 0) {
                mask |= 1 << r;
            }
        }
        if (versions.isEmpty()) {
            int r = rank(legacyVersion);
            if (r >= 0) {
                mask = (1 << (r + 1)) - 1;
            }
        }
        return mask;
    }

    /** The highest version in {@code mask}, or -1. */
    static int highest(int mask) {
        return 31 - Integer.numberOfLeadingZeros(mask);
    }

    static String name(int rank) {
        return rank < 0 ? "(unknown)" : ORDER.get(rank);
    }

    static List<String> names(int mask) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < ORDER.size(); i++) {
            if ((mask & (1 << i)) != 0) {
                names.add(ORDER.get(i));
            }
        }
        return names;
    }

    /** A real suite (IANA name), not a signalling value ({@code _SCSV}), GREASE or an unknown id in hex. */
    static boolean realSuite(String name) {
        return (name.startsWith("TLS_") || name.startsWith("SSL_")) && !name.endsWith("_SCSV");
    }

    /** TLS 1.3 suites name only the AEAD and hash ({@code TLS_AES_128_GCM_SHA256}); older ones say {@code _WITH_}. */
    static boolean tls13Suite(String name) {
        return name.startsWith("TLS_") && !name.contains("_WITH_");
    }
}
