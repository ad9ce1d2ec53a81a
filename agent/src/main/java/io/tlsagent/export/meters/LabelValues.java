package io.tlsagent.export.meters;

import io.tlsagent.record.HandshakeRecord;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Keeps metric label values in bounded sets: anything unexpected becomes {@code other}. */
public final class LabelValues {

    public static final String NONE = "none";
    public static final String OTHER = "other";

    private static final Set<String> PROTOCOLS = Set.of("TLSv1.3", "TLSv1.2", "TLSv1.1", "TLSv1", "SSLv3",
            "SSLv2Hello", "DTLSv1.0", "DTLSv1.2", "DTLSv1.3");
    private static final int MAX_CIPHER_SUITES = 128;
    private static final int MAX_PROVIDERS = 16;

    private final Set<String> cipherSuites = ConcurrentHashMap.newKeySet();
    private final Set<String> providers = ConcurrentHashMap.newKeySet();

    /** The {@code resumed} label: true, false, or unknown when the TLS implementation cannot tell. */
    public static String resumed(HandshakeRecord r) {
        return r.resumed() == null ? "unknown" : r.resumed().toString();
    }

    /** The {@code result} label: success, or the error type. */
    public static String result(HandshakeRecord r) {
        return r.success() ? "success" : r.error().label();
    }

    public String protocol(String protocol) {
        if (protocol == null) {
            return NONE;
        }
        return PROTOCOLS.contains(protocol) ? protocol : OTHER;
    }

    public String cipherSuite(String suite) {
        if (suite == null) {
            return NONE;
        }
        return admit(cipherSuites, suite, MAX_CIPHER_SUITES);
    }

    public String provider(String provider) {
        return provider == null ? OTHER : admit(providers, provider, MAX_PROVIDERS);
    }

    /** The first {@code max} well-formed distinct values pass; later newcomers are {@code other}. */
    private static String admit(Set<String> seen, String value, int max) {
        if (seen.contains(value)) {
            return value;
        }
        if (value.length() > 64 || !value.chars().allMatch(LabelValues::isNameChar)) {
            return OTHER;
        }
        synchronized (seen) {
            if (seen.size() < max) {
                seen.add(value);
                return value;
            }
        }
        return seen.contains(value) ? value : OTHER;
    }

    private static boolean isNameChar(int c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'
                || c == '-' || c == '.';
    }
}
