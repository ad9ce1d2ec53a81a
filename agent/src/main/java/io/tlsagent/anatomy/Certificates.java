package io.tlsagent.anatomy;

import io.tlsagent.record.CertificateInfo;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.security.interfaces.DSAKey;
import java.security.interfaces.ECKey;
import java.security.interfaces.RSAKey;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.security.auth.x500.X500Principal;

/**
 * Summarizes certificates ({@link CertificateInfo}): names, validity, key and signature, fingerprint. Public
 * metadata only; the DER bytes are hashed, never kept. A part the certificate does not yield is left null (or -1).
 */
public final class Certificates {

    /**
     * Summaries already made, by certificate: a server presents the same chain in every handshake and a client
     * mostly meets the same few. Keyed by the certificate itself: the same object, or an equal one (the JDK's
     * certificates compare and hash their encoding without copying it, and cache the hash), so a known certificate
     * costs neither parsing, nor hashing its encoding again, nor the signature check of {@code selfSigned}.
     * Bounded: when full it starts over, so a peer with endless new certificates costs no more than no cache.
     */
    static final int CACHE_SIZE = 512;
    private static final Map<X509Certificate, CertificateInfo> CACHE = new ConcurrentHashMap<>();
    /** The same by encoding, for certificates read from a Certificate message (never decoded when known). */
    private static final Map<ByteBuffer, CertificateInfo> BY_ENCODING = new ConcurrentHashMap<>();
    /** Chain names by the fingerprints of their certificates. */
    private static final Map<List<String>, String> CHAIN_IDS = new ConcurrentHashMap<>();

    private Certificates() {}

    /** Summarizes a certificate. Never throws: a part that cannot be read is left null. */
    public static CertificateInfo summary(X509Certificate cert) {
        if (cert == null) {
            return CertificateInfo.builder().build();
        }
        CertificateInfo known;
        try {
            known = CACHE.get(cert);
        } catch (RuntimeException unusualEquals) { // another provider's certificate class
            known = null;
        }
        if (known != null) {
            return known;
        }
        CertificateInfo info = summarize(cert, sha256(cert));
        if (info.sha256() != null) {
            remember(CACHE, cert, info);
        }
        return info;
    }

    /**
     * The summary of a DER-encoded certificate (a slice of a Certificate message), decoded only the first time
     * it is met. Throws {@link Undecodable} with the reason when the bytes are not a certificate.
     */
    static CertificateInfo summary(ByteBuffer der) throws Undecodable {
        CertificateInfo known = BY_ENCODING.get(der);
        if (known != null) {
            return known;
        }
        byte[] bytes = new byte[der.remaining()];
        der.duplicate().get(bytes);
        CertificateInfo info = summary(CertificateMessage.decode(bytes));
        remember(BY_ENCODING, ByteBuffer.wrap(bytes).asReadOnlyBuffer(), info);
        return info;
    }

    /** A bytes-were-not-a-certificate reason, as the Certificate message's parse error says it. */
    static final class Undecodable extends Exception {
        private static final long serialVersionUID = 1L;

        Undecodable(String reason) {
            super(reason, null, false, false);
        }
    }

    private static <K> void remember(Map<K, CertificateInfo> cache, K key, CertificateInfo info) {
        if (cache.size() >= CACHE_SIZE) {
            cache.clear();
        }
        cache.put(key, info);
    }

    /**
     * Names a chain: 16 hex digits of the SHA-256 of its certificates' fingerprints in order; null for an empty
     * chain (or a certificate without a fingerprint). Equal chains get equal names, in every JVM.
     */
    public static String chainId(List<CertificateInfo> chain) {
        if (chain.isEmpty()) {
            return null;
        }
        List<String> fingerprints = new ArrayList<>(chain.size());
        for (CertificateInfo c : chain) {
            if (c.sha256() == null) {
                return null;
            }
            fingerprints.add(c.sha256());
        }
        String id = CHAIN_IDS.get(fingerprints);
        if (id == null) {
            byte[] d = Hex.digest("SHA-256", String.join(",", fingerprints).getBytes(StandardCharsets.US_ASCII));
            if (d == null) {
                return null;
            }
            id = Hex.lower(Arrays.copyOf(d, 8));
            if (CHAIN_IDS.size() >= CACHE_SIZE) {
                CHAIN_IDS.clear();
            }
            CHAIN_IDS.put(fingerprints, id);
        }
        return id;
    }

    /** How many summaries are kept now (tests). */
    static int cached() {
        return CACHE.size();
    }

    private static CertificateInfo summarize(X509Certificate cert, String sha256) {
        PublicKey key = safeKey(cert);
        return CertificateInfo.builder()
                .subject(name(cert.getSubjectX500Principal()))
                .issuer(name(cert.getIssuerX500Principal()))
                .serialNumber(serial(cert.getSerialNumber()))
                .subjectAltNames(subjectAltNames(cert))
                .notBefore(cert.getNotBefore() == null ? null : cert.getNotBefore().toInstant())
                .notAfter(cert.getNotAfter() == null ? null : cert.getNotAfter().toInstant())
                .keyAlgorithm(key == null ? null : key.getAlgorithm())
                .keySize(keySize(key))
                .signatureAlgorithm(cert.getSigAlgName())
                .sha256(sha256)
                .selfSigned(selfSigned(cert, key))
                .build();
    }

    /** Summarizes a chain, in order. */
    public static List<CertificateInfo> summaries(List<? extends X509Certificate> chain) {
        if (chain == null || chain.isEmpty()) {
            return List.of();
        }
        CertificateInfo[] out = new CertificateInfo[chain.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = summary(chain.get(i));
        }
        return List.of(out);
    }

    private static String name(X500Principal p) {
        return p == null ? null : p.getName(X500Principal.RFC2253);
    }

    private static String serial(BigInteger serial) {
        return serial == null ? null : serial.toString(16).toUpperCase(Locale.ROOT);
    }

    private static PublicKey safeKey(X509Certificate cert) {
        try {
            return cert.getPublicKey();
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static List<String> subjectAltNames(X509Certificate cert) {
        List<String> out = new ArrayList<>();
        try {
            Collection<List<?>> sans = cert.getSubjectAlternativeNames();
            if (sans == null) {
                return out;
            }
            for (List<?> san : sans) {
                if (out.size() == Limits.MAX_SUBJECT_ALT_NAMES) {
                    break;
                }
                String prefix = sanPrefix(san.get(0));
                if (prefix != null && san.size() > 1 && san.get(1) instanceof String) {
                    out.add(prefix + san.get(1));
                }
            }
        } catch (Exception e) {
            // An unparsable extension leaves the names read so far.
        }
        return out;
    }

    /** GeneralName tags of RFC 5280 4.2.1.6 that the JDK hands over as strings. */
    private static String sanPrefix(Object tag) {
        if (!(tag instanceof Integer)) {
            return null;
        }
        switch ((Integer) tag) {
            case 1: return "email:";
            case 2: return "DNS:";
            case 6: return "URI:";
            case 7: return "IP:";
            default: return null;
        }
    }

    static int keySize(PublicKey key) {
        try {
            if (key instanceof RSAKey) {
                return ((RSAKey) key).getModulus().bitLength();
            }
            if (key instanceof ECKey) {
                return ((ECKey) key).getParams().getCurve().getField().getFieldSize();
            }
            if (key instanceof DSAKey) {
                return ((DSAKey) key).getParams().getP().bitLength();
            }
            return edwardsKeySize(key);
        } catch (RuntimeException e) {
            return -1;
        }
    }

    /**
     * Ed25519/Ed448 (and X25519/X448): Java 11's API has no interface for them, so read the algorithm OID
     * (1.3.101.110 to 113) from the SubjectPublicKeyInfo encoding.
     */
    private static int edwardsKeySize(PublicKey key) {
        byte[] spki = key == null ? null : key.getEncoded();
        if (spki == null) {
            return -1;
        }
        // The OID sits in the first few bytes (SEQUENCE, SEQUENCE, OID); never look into the key itself.
        for (int i = 0; i + 4 < Math.min(spki.length, 16); i++) {
            if (spki[i] == 0x06 && spki[i + 1] == 0x03 && spki[i + 2] == 0x2B && spki[i + 3] == 0x65) {
                switch (spki[i + 4]) {
                    case 110: case 112: return 255;
                    case 111: case 113: return 448;
                    default: return -1;
                }
            }
        }
        return -1;
    }

    private static String sha256(X509Certificate cert) {
        try {
            byte[] digest = Hex.digest("SHA-256", cert.getEncoded());
            return digest == null ? null : Hex.upper(digest);
        } catch (Exception e) {
            return null;
        }
    }

    private static boolean selfSigned(X509Certificate cert, PublicKey key) {
        try {
            if (key == null || !cert.getSubjectX500Principal().equals(cert.getIssuerX500Principal())) {
                return false;
            }
            cert.verify(key);
            return true;
        } catch (Exception e) {
            return false;
        }
    }
}
