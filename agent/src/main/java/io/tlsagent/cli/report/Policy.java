package io.tlsagent.cli.report;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A planned server configuration: the protocol versions still allowed and the cipher suites denied (IANA names,
 * {@code *} matches any run of characters). Judges each client by what its ClientHello offered.
 */
final class Policy {

    /** Suites commonly retired: no forward secrecy, CBC, RC4, NULL, anonymous, export. */
    static final String WEAK_CIPHERS = "TLS_RSA_*,SSL_*,*_CBC_*,*_RC4_*,*NULL*,*_anon_*,*EXPORT*";

    final int allowedVersions;
    final List<String> denied;
    private final List<Pattern> deniedPatterns = new ArrayList<>();

    Policy(int allowedVersions, List<String> denied) {
        this.allowedVersions = allowedVersions;
        this.denied = List.copyOf(denied);
        for (String d : denied) {
            deniedPatterns.add(Pattern.compile(glob(d)));
        }
    }

    private static String glob(String g) {
        List<String> parts = new ArrayList<>();
        for (String part : g.split("\\*", -1)) {
            parts.add(Pattern.quote(part));
        }
        return String.join(".*", parts);
    }

    boolean versionAllowed(String version) {
        int r = TlsVersions.rank(version);
        return r >= 0 && (allowedVersions & (1 << r)) != 0;
    }

    boolean suiteDenied(String suite) {
        for (Pattern p : deniedPatterns) {
            if (p.matcher(suite).matches()) {
                return true;
            }
        }
        return false;
    }

    /** A suite this policy would still accept at some allowed version that the client offered. */
    boolean usable(String suite, int offeredVersions) {
        if (!TlsVersions.realSuite(suite) || suiteDenied(suite)) {
            return false;
        }
        int versions = offeredVersions & allowedVersions;
        int tls13 = 1 << TlsVersions.TLS13;
        return TlsVersions.tls13Suite(suite) ? (versions & tls13) != 0 : (versions & ~tls13) != 0;
    }
}
