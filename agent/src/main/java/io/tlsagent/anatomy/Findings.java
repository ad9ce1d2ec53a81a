package io.tlsagent.anatomy;

import io.tlsagent.record.CertificateInfo;
import io.tlsagent.record.CertificateStatus;
import io.tlsagent.record.Finding;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Decides which {@link Finding}s apply to one handshake. Pure: same inputs, same answer. */
public final class Findings {

    public static final int DEFAULT_EXPIRING_DAYS = 14;

    private Findings() {}

    /**
     * The findings for a negotiated configuration, in enum order. Every argument may be null (or empty),
     * which skips the checks that need it.
     *
     * @param protocol JSSE protocol name, e.g. {@code TLSv1.2}
     * @param cipherSuite cipher suite name, IANA ({@code TLS_...}) or JSSE's legacy {@code SSL_...} spelling
     * @param signatureScheme the handshake's signature scheme, e.g. {@code rsa_pss_rsae_sha256}; null if unknown
     * @param peerChain the peer's certificates, its own first
     * @param localChain the certificates this side presented: judged for expiry only (the peer judges the rest)
     * @param now the time to judge validity at
     * @param expiringDays how close to notAfter counts as expiring; negative counts as 0
     */
    public static Set<Finding> compute(String protocol, String cipherSuite, String signatureScheme,
            List<CertificateInfo> peerChain, List<CertificateInfo> localChain, Instant now, int expiringDays) {
        EnumSet<Finding> out = EnumSet.noneOf(Finding.class);
        if (isLegacyProtocol(protocol)) {
            out.add(Finding.LEGACY_PROTOCOL);
        }
        if (cipherSuite != null) {
            cipherFindings(cipherSuite.toUpperCase(Locale.ROOT), out);
        }
        if (signatureScheme != null && signatureScheme.toLowerCase(Locale.ROOT).contains("sha1")) {
            out.add(Finding.SHA1_SIGNATURE);
        }
        if (peerChain != null) {
            chainFindings(peerChain, now, Math.max(expiringDays, 0), out);
        }
        if (localChain != null) {
            for (CertificateInfo cert : localChain) {
                expiryFinding(cert, now, Math.max(expiringDays, 0), out);
            }
        }
        return canonical(out);
    }

    /**
     * The immutable set of these findings, one per combination (a handful occur), so that handshakes with the same
     * findings share it and the anatomy keeps it without a copy.
     */
    private static final Map<EnumSet<Finding>, Set<Finding>> SETS = new ConcurrentHashMap<>();

    private static Set<Finding> canonical(EnumSet<Finding> findings) {
        if (findings.isEmpty()) {
            return Set.of();
        }
        Set<Finding> known = SETS.get(findings);
        if (known == null) {
            known = Collections.unmodifiableSet(findings); // in the enum's order
            if (SETS.size() < 1024) {
                SETS.put(findings, known);
            }
        }
        return known;
    }

    /** As {@link #compute(String, String, String, List, List, Instant, int)}: no local chain. */
    public static Set<Finding> compute(String protocol, String cipherSuite, String signatureScheme,
            List<CertificateInfo> peerChain, Instant now, int expiringDays) {
        return compute(protocol, cipherSuite, signatureScheme, peerChain, null, now, expiringDays);
    }

    /** As {@link #compute(String, String, String, List, Instant, int)} with {@link #DEFAULT_EXPIRING_DAYS}. */
    public static Set<Finding> compute(String protocol, String cipherSuite, String signatureScheme,
            List<CertificateInfo> peerChain, Instant now) {
        return compute(protocol, cipherSuite, signatureScheme, peerChain, now, DEFAULT_EXPIRING_DAYS);
    }

    /**
     * Where {@code cert} stands at {@code now}: expiring when its notAfter is less than {@code expiringDays} away
     * (negative counts as 0), as the {@code certificate_expiring} finding says. A bound it lacks is not judged.
     */
    public static CertificateStatus status(CertificateInfo cert, Instant now, int expiringDays) {
        Instant notAfter = cert.notAfter();
        Instant notBefore = cert.notBefore();
        if (notAfter != null && now.isAfter(notAfter)) {
            return CertificateStatus.EXPIRED;
        }
        if (notBefore != null && now.isBefore(notBefore)) {
            return CertificateStatus.NOT_YET_VALID;
        }
        if (notAfter != null && now.plus(Duration.ofDays(Math.max(expiringDays, 0))).isAfter(notAfter)) {
            return CertificateStatus.EXPIRING;
        }
        return CertificateStatus.VALID;
    }

    private static void expiryFinding(CertificateInfo cert, Instant now, int expiringDays, Set<Finding> out) {
        if (cert == null || now == null) {
            return;
        }
        CertificateStatus status = status(cert, now, expiringDays);
        if (status == CertificateStatus.EXPIRED) {
            out.add(Finding.CERTIFICATE_EXPIRED);
        } else if (status == CertificateStatus.EXPIRING) {
            out.add(Finding.CERTIFICATE_EXPIRING);
        }
    }

    private static boolean isLegacyProtocol(String protocol) {
        if (protocol == null) {
            return false;
        }
        switch (protocol) {
            case "SSLv2":
            case "SSLv2Hello":
            case "SSLv3":
            case "TLSv1":
            case "TLSv1.0":
            case "TLSv1.1":
            case "DTLSv1.0":
                return true;
            default:
                return false;
        }
    }

    private static void cipherFindings(String suite, Set<Finding> out) {
        // JSSE still spells a few old suites SSL_...; the rest of the name is the IANA one.
        String name = suite.startsWith("SSL_") ? "TLS_" + suite.substring(4) : suite;
        // Anonymous (EC)DH is ephemeral: no authentication, but forward secret.
        boolean staticKeyExchange = name.startsWith("TLS_RSA_") || name.startsWith("TLS_DH_")
                || name.startsWith("TLS_ECDH_") || name.startsWith("TLS_PSK_") || name.startsWith("TLS_KRB5_");
        if (staticKeyExchange && !name.contains("_ANON_")) {
            out.add(Finding.NO_FORWARD_SECRECY);
        }
        if (name.contains("_CBC_")) {
            out.add(Finding.CBC_CIPHER);
        }
        if (name.contains("_3DES_")) {
            out.add(Finding.TRIPLE_DES_CIPHER);
        }
        if (name.contains("_RC4_")) {
            out.add(Finding.RC4_CIPHER);
        }
        if (name.contains("_WITH_NULL_") || name.equals("TLS_SHA256_SHA256") || name.equals("TLS_SHA384_SHA384")) {
            out.add(Finding.NULL_CIPHER);
        }
        if (name.contains("_EXPORT")) {
            out.add(Finding.EXPORT_CIPHER);
        }
    }

    private static void chainFindings(List<CertificateInfo> chain, Instant now, int expiringDays,
            Set<Finding> out) {
        for (int i = 0; i < chain.size(); i++) {
            CertificateInfo cert = chain.get(i);
            if (cert == null) {
                continue;
            }
            if (i == 0 && cert.selfSigned()) {
                out.add(Finding.SELF_SIGNED_PEER);
            }
            String sig = cert.signatureAlgorithm();
            if (!cert.selfSigned() && sig != null && sig.toUpperCase(Locale.ROOT).startsWith("SHA1")) {
                out.add(Finding.SHA1_SIGNATURE);
            }
            String alg = cert.keyAlgorithm();
            if (alg != null && alg.startsWith("RSA") && cert.keySize() > 0 && cert.keySize() < 2048) {
                out.add(Finding.RSA_KEY_BELOW_2048);
            }
            expiryFinding(cert, now, expiringDays, out);
        }
    }
}
