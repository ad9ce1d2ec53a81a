package io.tlsagent.anatomy;

import io.tlsagent.record.Grease;
import java.util.HashMap;
import java.util.Map;

/**
 * IANA names of cipher suites: every TLS 1.3 suite, every suite JDK 11 to 25 can enable, the common
 * ECDHE/DHE/RSA GCM, CBC, CCM and ChaCha20 suites, and enough of the 3DES, DES, RC4, NULL, EXPORT and
 * anonymous families to recognize weak offers. Names follow the IANA registry (so JSSE's
 * {@code SSL_RSA_WITH_3DES_EDE_CBC_SHA} is {@code TLS_RSA_WITH_3DES_EDE_CBC_SHA} here).
 */
public final class CipherSuites {

    private static final Map<Integer, String> NAMES = new HashMap<>(256);

    static {
        // TLS 1.3 (RFC 8446) and the integrity-only suites (RFC 9150)
        add(0x1301, "TLS_AES_128_GCM_SHA256");
        add(0x1302, "TLS_AES_256_GCM_SHA384");
        add(0x1303, "TLS_CHACHA20_POLY1305_SHA256");
        add(0x1304, "TLS_AES_128_CCM_SHA256");
        add(0x1305, "TLS_AES_128_CCM_8_SHA256");
        add(0xC0B4, "TLS_SHA256_SHA256");
        add(0xC0B5, "TLS_SHA384_SHA384");
        // Signaling values
        add(0x00FF, "TLS_EMPTY_RENEGOTIATION_INFO_SCSV");
        add(0x5600, "TLS_FALLBACK_SCSV");
        // NULL encryption
        add(0x0000, "TLS_NULL_WITH_NULL_NULL");
        add(0x0001, "TLS_RSA_WITH_NULL_MD5");
        add(0x0002, "TLS_RSA_WITH_NULL_SHA");
        add(0x003B, "TLS_RSA_WITH_NULL_SHA256");
        add(0x002C, "TLS_PSK_WITH_NULL_SHA");
        add(0x00B0, "TLS_PSK_WITH_NULL_SHA256");
        add(0x00B1, "TLS_PSK_WITH_NULL_SHA384");
        add(0xC001, "TLS_ECDH_ECDSA_WITH_NULL_SHA");
        add(0xC006, "TLS_ECDHE_ECDSA_WITH_NULL_SHA");
        add(0xC00B, "TLS_ECDH_RSA_WITH_NULL_SHA");
        add(0xC010, "TLS_ECDHE_RSA_WITH_NULL_SHA");
        add(0xC015, "TLS_ECDH_anon_WITH_NULL_SHA");
        // EXPORT (40/56-bit)
        add(0x0003, "TLS_RSA_EXPORT_WITH_RC4_40_MD5");
        add(0x0006, "TLS_RSA_EXPORT_WITH_RC2_CBC_40_MD5");
        add(0x0008, "TLS_RSA_EXPORT_WITH_DES40_CBC_SHA");
        add(0x000B, "TLS_DH_DSS_EXPORT_WITH_DES40_CBC_SHA");
        add(0x000E, "TLS_DH_RSA_EXPORT_WITH_DES40_CBC_SHA");
        add(0x0011, "TLS_DHE_DSS_EXPORT_WITH_DES40_CBC_SHA");
        add(0x0014, "TLS_DHE_RSA_EXPORT_WITH_DES40_CBC_SHA");
        add(0x0017, "TLS_DH_anon_EXPORT_WITH_RC4_40_MD5");
        add(0x0019, "TLS_DH_anon_EXPORT_WITH_DES40_CBC_SHA");
        add(0x0062, "TLS_RSA_EXPORT1024_WITH_DES_CBC_SHA");
        add(0x0063, "TLS_DHE_DSS_EXPORT1024_WITH_DES_CBC_SHA");
        add(0x0064, "TLS_RSA_EXPORT1024_WITH_RC4_56_SHA");
        // RC4
        add(0x0004, "TLS_RSA_WITH_RC4_128_MD5");
        add(0x0005, "TLS_RSA_WITH_RC4_128_SHA");
        add(0x0018, "TLS_DH_anon_WITH_RC4_128_MD5");
        add(0x008A, "TLS_PSK_WITH_RC4_128_SHA");
        add(0xC002, "TLS_ECDH_ECDSA_WITH_RC4_128_SHA");
        add(0xC007, "TLS_ECDHE_ECDSA_WITH_RC4_128_SHA");
        add(0xC00C, "TLS_ECDH_RSA_WITH_RC4_128_SHA");
        add(0xC011, "TLS_ECDHE_RSA_WITH_RC4_128_SHA");
        add(0xC016, "TLS_ECDH_anon_WITH_RC4_128_SHA");
        // Single DES and IDEA
        add(0x0007, "TLS_RSA_WITH_IDEA_CBC_SHA");
        add(0x0009, "TLS_RSA_WITH_DES_CBC_SHA");
        add(0x000C, "TLS_DH_DSS_WITH_DES_CBC_SHA");
        add(0x000F, "TLS_DH_RSA_WITH_DES_CBC_SHA");
        add(0x0012, "TLS_DHE_DSS_WITH_DES_CBC_SHA");
        add(0x0015, "TLS_DHE_RSA_WITH_DES_CBC_SHA");
        add(0x001A, "TLS_DH_anon_WITH_DES_CBC_SHA");
        // 3DES
        add(0x000A, "TLS_RSA_WITH_3DES_EDE_CBC_SHA");
        add(0x000D, "TLS_DH_DSS_WITH_3DES_EDE_CBC_SHA");
        add(0x0010, "TLS_DH_RSA_WITH_3DES_EDE_CBC_SHA");
        add(0x0013, "TLS_DHE_DSS_WITH_3DES_EDE_CBC_SHA");
        add(0x0016, "TLS_DHE_RSA_WITH_3DES_EDE_CBC_SHA");
        add(0x001B, "TLS_DH_anon_WITH_3DES_EDE_CBC_SHA");
        add(0x008B, "TLS_PSK_WITH_3DES_EDE_CBC_SHA");
        add(0xC003, "TLS_ECDH_ECDSA_WITH_3DES_EDE_CBC_SHA");
        add(0xC008, "TLS_ECDHE_ECDSA_WITH_3DES_EDE_CBC_SHA");
        add(0xC00D, "TLS_ECDH_RSA_WITH_3DES_EDE_CBC_SHA");
        add(0xC012, "TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA");
        add(0xC017, "TLS_ECDH_anon_WITH_3DES_EDE_CBC_SHA");
        // AES-CBC, static RSA and (EC)DH(E)
        add(0x002F, "TLS_RSA_WITH_AES_128_CBC_SHA");
        add(0x0030, "TLS_DH_DSS_WITH_AES_128_CBC_SHA");
        add(0x0031, "TLS_DH_RSA_WITH_AES_128_CBC_SHA");
        add(0x0032, "TLS_DHE_DSS_WITH_AES_128_CBC_SHA");
        add(0x0033, "TLS_DHE_RSA_WITH_AES_128_CBC_SHA");
        add(0x0034, "TLS_DH_anon_WITH_AES_128_CBC_SHA");
        add(0x0035, "TLS_RSA_WITH_AES_256_CBC_SHA");
        add(0x0036, "TLS_DH_DSS_WITH_AES_256_CBC_SHA");
        add(0x0037, "TLS_DH_RSA_WITH_AES_256_CBC_SHA");
        add(0x0038, "TLS_DHE_DSS_WITH_AES_256_CBC_SHA");
        add(0x0039, "TLS_DHE_RSA_WITH_AES_256_CBC_SHA");
        add(0x003A, "TLS_DH_anon_WITH_AES_256_CBC_SHA");
        add(0x003C, "TLS_RSA_WITH_AES_128_CBC_SHA256");
        add(0x003D, "TLS_RSA_WITH_AES_256_CBC_SHA256");
        add(0x003E, "TLS_DH_DSS_WITH_AES_128_CBC_SHA256");
        add(0x003F, "TLS_DH_RSA_WITH_AES_128_CBC_SHA256");
        add(0x0040, "TLS_DHE_DSS_WITH_AES_128_CBC_SHA256");
        add(0x0067, "TLS_DHE_RSA_WITH_AES_128_CBC_SHA256");
        add(0x0068, "TLS_DH_DSS_WITH_AES_256_CBC_SHA256");
        add(0x0069, "TLS_DH_RSA_WITH_AES_256_CBC_SHA256");
        add(0x006A, "TLS_DHE_DSS_WITH_AES_256_CBC_SHA256");
        add(0x006B, "TLS_DHE_RSA_WITH_AES_256_CBC_SHA256");
        add(0x006C, "TLS_DH_anon_WITH_AES_128_CBC_SHA256");
        add(0x006D, "TLS_DH_anon_WITH_AES_256_CBC_SHA256");
        add(0x008C, "TLS_PSK_WITH_AES_128_CBC_SHA");
        add(0x008D, "TLS_PSK_WITH_AES_256_CBC_SHA");
        add(0x00AE, "TLS_PSK_WITH_AES_128_CBC_SHA256");
        add(0x00AF, "TLS_PSK_WITH_AES_256_CBC_SHA384");
        add(0xC004, "TLS_ECDH_ECDSA_WITH_AES_128_CBC_SHA");
        add(0xC005, "TLS_ECDH_ECDSA_WITH_AES_256_CBC_SHA");
        add(0xC009, "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA");
        add(0xC00A, "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA");
        add(0xC00E, "TLS_ECDH_RSA_WITH_AES_128_CBC_SHA");
        add(0xC00F, "TLS_ECDH_RSA_WITH_AES_256_CBC_SHA");
        add(0xC013, "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA");
        add(0xC014, "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA");
        add(0xC018, "TLS_ECDH_anon_WITH_AES_128_CBC_SHA");
        add(0xC019, "TLS_ECDH_anon_WITH_AES_256_CBC_SHA");
        add(0xC023, "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256");
        add(0xC024, "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384");
        add(0xC025, "TLS_ECDH_ECDSA_WITH_AES_128_CBC_SHA256");
        add(0xC026, "TLS_ECDH_ECDSA_WITH_AES_256_CBC_SHA384");
        add(0xC027, "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256");
        add(0xC028, "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384");
        add(0xC029, "TLS_ECDH_RSA_WITH_AES_128_CBC_SHA256");
        add(0xC02A, "TLS_ECDH_RSA_WITH_AES_256_CBC_SHA384");
        add(0xC035, "TLS_ECDHE_PSK_WITH_AES_128_CBC_SHA");
        add(0xC036, "TLS_ECDHE_PSK_WITH_AES_256_CBC_SHA");
        // Camellia and SEED (CBC)
        add(0x0041, "TLS_RSA_WITH_CAMELLIA_128_CBC_SHA");
        add(0x0045, "TLS_DHE_RSA_WITH_CAMELLIA_128_CBC_SHA");
        add(0x0084, "TLS_RSA_WITH_CAMELLIA_256_CBC_SHA");
        add(0x0088, "TLS_DHE_RSA_WITH_CAMELLIA_256_CBC_SHA");
        add(0x0096, "TLS_RSA_WITH_SEED_CBC_SHA");
        // AES-GCM
        add(0x009C, "TLS_RSA_WITH_AES_128_GCM_SHA256");
        add(0x009D, "TLS_RSA_WITH_AES_256_GCM_SHA384");
        add(0x009E, "TLS_DHE_RSA_WITH_AES_128_GCM_SHA256");
        add(0x009F, "TLS_DHE_RSA_WITH_AES_256_GCM_SHA384");
        add(0x00A0, "TLS_DH_RSA_WITH_AES_128_GCM_SHA256");
        add(0x00A1, "TLS_DH_RSA_WITH_AES_256_GCM_SHA384");
        add(0x00A2, "TLS_DHE_DSS_WITH_AES_128_GCM_SHA256");
        add(0x00A3, "TLS_DHE_DSS_WITH_AES_256_GCM_SHA384");
        add(0x00A4, "TLS_DH_DSS_WITH_AES_128_GCM_SHA256");
        add(0x00A5, "TLS_DH_DSS_WITH_AES_256_GCM_SHA384");
        add(0x00A6, "TLS_DH_anon_WITH_AES_128_GCM_SHA256");
        add(0x00A7, "TLS_DH_anon_WITH_AES_256_GCM_SHA384");
        add(0x00A8, "TLS_PSK_WITH_AES_128_GCM_SHA256");
        add(0x00A9, "TLS_PSK_WITH_AES_256_GCM_SHA384");
        add(0xC02B, "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256");
        add(0xC02C, "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384");
        add(0xC02D, "TLS_ECDH_ECDSA_WITH_AES_128_GCM_SHA256");
        add(0xC02E, "TLS_ECDH_ECDSA_WITH_AES_256_GCM_SHA384");
        add(0xC02F, "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256");
        add(0xC030, "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384");
        add(0xC031, "TLS_ECDH_RSA_WITH_AES_128_GCM_SHA256");
        add(0xC032, "TLS_ECDH_RSA_WITH_AES_256_GCM_SHA384");
        // AES-CCM
        add(0xC09C, "TLS_RSA_WITH_AES_128_CCM");
        add(0xC09D, "TLS_RSA_WITH_AES_256_CCM");
        add(0xC09E, "TLS_DHE_RSA_WITH_AES_128_CCM");
        add(0xC09F, "TLS_DHE_RSA_WITH_AES_256_CCM");
        add(0xC0A0, "TLS_RSA_WITH_AES_128_CCM_8");
        add(0xC0A1, "TLS_RSA_WITH_AES_256_CCM_8");
        add(0xC0A2, "TLS_DHE_RSA_WITH_AES_128_CCM_8");
        add(0xC0A3, "TLS_DHE_RSA_WITH_AES_256_CCM_8");
        add(0xC0AC, "TLS_ECDHE_ECDSA_WITH_AES_128_CCM");
        add(0xC0AD, "TLS_ECDHE_ECDSA_WITH_AES_256_CCM");
        add(0xC0AE, "TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8");
        add(0xC0AF, "TLS_ECDHE_ECDSA_WITH_AES_256_CCM_8");
        // ChaCha20-Poly1305 (RFC 7905)
        add(0xCCA8, "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256");
        add(0xCCA9, "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256");
        add(0xCCAA, "TLS_DHE_RSA_WITH_CHACHA20_POLY1305_SHA256");
        add(0xCCAB, "TLS_PSK_WITH_CHACHA20_POLY1305_SHA256");
        add(0xCCAC, "TLS_ECDHE_PSK_WITH_CHACHA20_POLY1305_SHA256");
        add(0xCCAD, "TLS_DHE_PSK_WITH_CHACHA20_POLY1305_SHA256");
        add(0xCCAE, "TLS_RSA_PSK_WITH_CHACHA20_POLY1305_SHA256");
    }

    private CipherSuites() {}

    private static void add(int id, String name) {
        NAMES.put(id, name);
    }

    /** The IANA name, {@code grease(0x0a0a)} for GREASE, else the id as {@code 0x1301}-style hex. */
    public static String name(int id) {
        String name = NAMES.get(id);
        if (name != null) {
            return name;
        }
        return Grease.isGrease(id) ? "grease(" + Hex.id16(id) + ")" : Hex.id16(id);
    }

    /** True when the table names this id. */
    public static boolean isKnown(int id) {
        return NAMES.containsKey(id);
    }
}
