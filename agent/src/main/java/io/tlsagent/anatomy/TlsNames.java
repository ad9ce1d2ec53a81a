package io.tlsagent.anatomy;

import io.tlsagent.record.Grease;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * Names for the TLS registries other than cipher suites: protocol versions (as JSSE spells them), extension
 * types, supported groups and signature schemes (IANA names, which JSSE uses too). GREASE values are named
 * {@code grease(0x1a1a)}; anything else unknown is its id in {@code 0x1301}-style hex.
 */
public final class TlsNames {

    private static final Map<Integer, String> VERSIONS = new HashMap<>();
    private static final Map<Integer, String> EXTENSIONS = new HashMap<>();
    private static final Map<Integer, String> GROUPS = new HashMap<>();
    private static final Map<Integer, String> SIGNATURE_SCHEMES = new HashMap<>();
    /** Alert descriptions (RFC 8446 6, RFC 5246 7.2), as JSSE names them. */
    private static final String[] ALERTS = new String[256];
    /** The groups' names in lower case to their spelling here (JSSE writes {@code X25519MLKEM768} too). */
    private static final Map<String, String> GROUP_NAMES = new HashMap<>();

    static {
        String[] alerts = {"0 close_notify", "10 unexpected_message", "20 bad_record_mac", "21 decryption_failed",
            "22 record_overflow", "30 decompression_failure", "40 handshake_failure", "41 no_certificate",
            "42 bad_certificate", "43 unsupported_certificate", "44 certificate_revoked", "45 certificate_expired",
            "46 certificate_unknown", "47 illegal_parameter", "48 unknown_ca", "49 access_denied", "50 decode_error",
            "51 decrypt_error", "60 export_restriction", "70 protocol_version", "71 insufficient_security",
            "80 internal_error", "86 inappropriate_fallback", "90 user_canceled", "100 no_renegotiation",
            "109 missing_extension", "110 unsupported_extension", "111 certificate_unobtainable",
            "112 unrecognized_name", "113 bad_certificate_status_response", "114 bad_certificate_hash_value",
            "115 unknown_psk_identity", "116 certificate_required", "120 no_application_protocol",
            "121 ech_required"};
        for (String a : alerts) {
            int space = a.indexOf(' ');
            ALERTS[Integer.parseInt(a.substring(0, space))] = a.substring(space + 1);
        }
        VERSIONS.put(0x0304, "TLSv1.3");
        VERSIONS.put(0x0303, "TLSv1.2");
        VERSIONS.put(0x0302, "TLSv1.1");
        VERSIONS.put(0x0301, "TLSv1");
        VERSIONS.put(0x0300, "SSLv3");
        VERSIONS.put(0x0002, "SSLv2");
        VERSIONS.put(0xFEFF, "DTLSv1.0");
        VERSIONS.put(0xFEFD, "DTLSv1.2");
        VERSIONS.put(0xFEFC, "DTLSv1.3");

        String[] extensions = {
            "server_name", "max_fragment_length", "client_certificate_url", "trusted_ca_keys",
            "truncated_hmac", "status_request", "user_mapping", "client_authz", "server_authz", "cert_type",
            "supported_groups", "ec_point_formats", "srp", "signature_algorithms", "use_srtp", "heartbeat",
            "application_layer_protocol_negotiation", "status_request_v2", "signed_certificate_timestamp",
            "client_certificate_type", "server_certificate_type", "padding", "encrypt_then_mac",
            "extended_master_secret", "token_binding", "cached_info", "tls_lts", "compress_certificate",
            "record_size_limit", "pwd_protect", "pwd_clear", "password_salt", "ticket_pinning",
            "tls_cert_with_extern_psk", "delegated_credential", "session_ticket", "TLMSP", "TLMSP_proxying",
            "TLMSP_delegate", "supported_ekt_ciphers", null, "pre_shared_key", "early_data",
            "supported_versions", "cookie", "psk_key_exchange_modes", null, "certificate_authorities",
            "oid_filters", "post_handshake_auth", "signature_algorithms_cert", "key_share", "transparency_info",
            null, "connection_id", "external_id_hash", "external_session_id", "quic_transport_parameters",
            "ticket_request", "dnssec_chain", "sequence_number_encryption_algorithms", "rrc",
        };
        for (int i = 0; i < extensions.length; i++) {
            if (extensions[i] != null) {
                EXTENSIONS.put(i, extensions[i]);
            }
        }
        EXTENSIONS.put(0x3374, "next_protocol_negotiation");
        EXTENSIONS.put(0x4469, "application_settings_old");
        EXTENSIONS.put(0x44CD, "application_settings");
        EXTENSIONS.put(0x754F, "channel_id_old");
        EXTENSIONS.put(0x7550, "channel_id");
        EXTENSIONS.put(0xFD00, "ech_outer_extensions");
        EXTENSIONS.put(0xFE0D, "encrypted_client_hello");
        EXTENSIONS.put(0xFF01, "renegotiation_info");

        String[] curves = {
            null, "sect163k1", "sect163r1", "sect163r2", "sect193r1", "sect193r2", "sect233k1", "sect233r1",
            "sect239k1", "sect283k1", "sect283r1", "sect409k1", "sect409r1", "sect571k1", "sect571r1",
            "secp160k1", "secp160r1", "secp160r2", "secp192k1", "secp192r1", "secp224k1", "secp224r1",
            "secp256k1", "secp256r1", "secp384r1", "secp521r1", "brainpoolP256r1", "brainpoolP384r1",
            "brainpoolP512r1", "x25519", "x448", "brainpoolP256r1tls13", "brainpoolP384r1tls13",
            "brainpoolP512r1tls13", "GC256A", "GC256B", "GC256C", "GC256D", "GC512A", "GC512B", "GC512C",
            "curveSM2",
        };
        for (int i = 1; i < curves.length; i++) {
            GROUPS.put(i, curves[i]);
        }
        GROUPS.put(0x0100, "ffdhe2048");
        GROUPS.put(0x0101, "ffdhe3072");
        GROUPS.put(0x0102, "ffdhe4096");
        GROUPS.put(0x0103, "ffdhe6144");
        GROUPS.put(0x0104, "ffdhe8192");
        GROUPS.put(0x0200, "MLKEM512");
        GROUPS.put(0x0201, "MLKEM768");
        GROUPS.put(0x0202, "MLKEM1024");
        GROUPS.put(0x11EB, "SecP256r1MLKEM768");
        GROUPS.put(0x11EC, "X25519MLKEM768");
        GROUPS.put(0x11ED, "SecP384r1MLKEM1024");
        GROUPS.put(0x6399, "X25519Kyber768Draft00");
        GROUPS.put(0x639A, "SecP256r1Kyber768Draft00");
        GROUPS.put(0xFF01, "arbitrary_explicit_prime_curves");
        GROUPS.put(0xFF02, "arbitrary_explicit_char2_curves");
        GROUPS.values().forEach(name -> GROUP_NAMES.put(name.toLowerCase(Locale.ROOT), name));

        SIGNATURE_SCHEMES.put(0x0101, "rsa_md5");
        SIGNATURE_SCHEMES.put(0x0201, "rsa_pkcs1_sha1");
        SIGNATURE_SCHEMES.put(0x0202, "dsa_sha1");
        SIGNATURE_SCHEMES.put(0x0203, "ecdsa_sha1");
        SIGNATURE_SCHEMES.put(0x0301, "rsa_sha224");
        SIGNATURE_SCHEMES.put(0x0302, "dsa_sha224");
        SIGNATURE_SCHEMES.put(0x0303, "ecdsa_sha224");
        SIGNATURE_SCHEMES.put(0x0401, "rsa_pkcs1_sha256");
        SIGNATURE_SCHEMES.put(0x0402, "dsa_sha256");
        SIGNATURE_SCHEMES.put(0x0403, "ecdsa_secp256r1_sha256");
        SIGNATURE_SCHEMES.put(0x0420, "rsa_pkcs1_sha256_legacy");
        SIGNATURE_SCHEMES.put(0x0501, "rsa_pkcs1_sha384");
        SIGNATURE_SCHEMES.put(0x0502, "dsa_sha384");
        SIGNATURE_SCHEMES.put(0x0503, "ecdsa_secp384r1_sha384");
        SIGNATURE_SCHEMES.put(0x0520, "rsa_pkcs1_sha384_legacy");
        SIGNATURE_SCHEMES.put(0x0601, "rsa_pkcs1_sha512");
        SIGNATURE_SCHEMES.put(0x0602, "dsa_sha512");
        SIGNATURE_SCHEMES.put(0x0603, "ecdsa_secp521r1_sha512");
        SIGNATURE_SCHEMES.put(0x0620, "rsa_pkcs1_sha512_legacy");
        SIGNATURE_SCHEMES.put(0x0708, "sm2sig_sm3");
        SIGNATURE_SCHEMES.put(0x0804, "rsa_pss_rsae_sha256");
        SIGNATURE_SCHEMES.put(0x0805, "rsa_pss_rsae_sha384");
        SIGNATURE_SCHEMES.put(0x0806, "rsa_pss_rsae_sha512");
        SIGNATURE_SCHEMES.put(0x0807, "ed25519");
        SIGNATURE_SCHEMES.put(0x0808, "ed448");
        SIGNATURE_SCHEMES.put(0x0809, "rsa_pss_pss_sha256");
        SIGNATURE_SCHEMES.put(0x080A, "rsa_pss_pss_sha384");
        SIGNATURE_SCHEMES.put(0x080B, "rsa_pss_pss_sha512");
        SIGNATURE_SCHEMES.put(0x081A, "ecdsa_brainpoolP256r1tls13_sha256");
        SIGNATURE_SCHEMES.put(0x081B, "ecdsa_brainpoolP384r1tls13_sha384");
        SIGNATURE_SCHEMES.put(0x081C, "ecdsa_brainpoolP512r1tls13_sha512");
        SIGNATURE_SCHEMES.put(0x0904, "mldsa44");
        SIGNATURE_SCHEMES.put(0x0905, "mldsa65");
        SIGNATURE_SCHEMES.put(0x0906, "mldsa87");
    }

    private TlsNames() {}

    /** {@code TLSv1.3}, {@code TLSv1.2}, ... {@code DTLSv1.2}, as JSSE names protocols. */
    public static String version(int id) {
        return lookup(VERSIONS, id);
    }

    public static String extension(int id) {
        return lookup(EXTENSIONS, id);
    }

    /** Supported group (named curve or FFDHE or hybrid KEM), e.g. {@code x25519}, {@code X25519MLKEM768}. */
    public static String group(int id) {
        return lookup(GROUPS, id);
    }

    /** Whether this (any case) is the name of a registered group. */
    public static boolean isGroupName(String name) {
        return GROUP_NAMES.containsKey(name.toLowerCase(Locale.ROOT));
    }

    /** A registered group's name as spelled here, e.g. {@code x25519MLKEM768} gives {@code X25519MLKEM768}. */
    public static String canonicalGroupName(String name) {
        return GROUP_NAMES.getOrDefault(name.toLowerCase(Locale.ROOT), name);
    }

    /** An alert description's name, e.g. {@code handshake_failure}; {@code unknown_N} for others. */
    public static String alert(int description) {
        String name = description >= 0 && description < ALERTS.length ? ALERTS[description] : null;
        return name != null ? name : "unknown_" + description;
    }

    /** Signature scheme, e.g. {@code ecdsa_secp256r1_sha256}, {@code rsa_pss_rsae_sha256}. */
    public static String signatureScheme(int id) {
        return lookup(SIGNATURE_SCHEMES, id);
    }

    private static String lookup(Map<Integer, String> table, int id) {
        String name = table.get(id);
        if (name != null) {
            return name;
        }
        return Grease.isGrease(id) ? "grease(" + Hex.id16(id) + ")" : Hex.id16(id);
    }

    public static List<String> versions(List<Integer> ids) {
        return names(ids, TlsNames::version);
    }

    public static List<String> cipherSuites(List<Integer> ids) {
        return names(ids, CipherSuites::name);
    }

    public static List<String> extensions(List<Integer> ids) {
        return names(ids, TlsNames::extension);
    }

    public static List<String> groups(List<Integer> ids) {
        return names(ids, TlsNames::group);
    }

    public static List<String> signatureSchemes(List<Integer> ids) {
        return names(ids, TlsNames::signatureScheme);
    }

    private static List<String> names(List<Integer> ids, IntFunction<String> namer) {
        List<String> out = new ArrayList<>(ids.size());
        for (int id : ids) {
            out.add(namer.apply(id));
        }
        return Collections.unmodifiableList(out);
    }
}
