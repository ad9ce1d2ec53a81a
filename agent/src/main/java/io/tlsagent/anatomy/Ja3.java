package io.tlsagent.anatomy;

import io.tlsagent.record.ClientHello;
import io.tlsagent.record.Grease;
import io.tlsagent.record.ServerHello;
import java.util.List;

/**
 * JA3 and JA3S (Salesforce, BSD-3-Clause): the hello's fields as decimal numbers, lists joined with '-', fields
 * with ','; GREASE values removed; the fingerprint is the lower-case hex MD5 of that string.
 *
 * <pre>
 * JA3  = SSLVersion,Ciphers,Extensions,EllipticCurves,EllipticCurvePointFormats   e.g. 771,4865-4866,0-10-11,29-23,0
 * JA3S = SSLVersion,Cipher,Extensions                                             e.g. 771,4865,51-43
 * </pre>
 *
 * SSLVersion is the hello's legacy_version field (so 771 for TLS 1.3 too). A hello that did not parse gives
 * the fingerprint of what was read; check {@code parseError()} first. The MD5 is null on a JDK without MD5.
 */
public final class Ja3 {

    private Ja3() {}

    public static String clientString(ClientHello hello) {
        StringBuilder sb = new StringBuilder(256);
        sb.append(Math.max(hello.legacyVersion(), 0)).append(',');
        join(sb, hello.cipherSuites()).append(',');
        join(sb, hello.extensions()).append(',');
        join(sb, hello.supportedGroups()).append(',');
        join(sb, hello.ecPointFormats());
        return sb.toString();
    }

    public static String clientMd5(ClientHello hello) {
        return Hex.md5(clientString(hello));
    }

    /** The MD5 of a JA3 or JA3S string already built (saves building it twice). */
    public static String md5(String ja3OrJa3s) {
        return Hex.md5(ja3OrJa3s);
    }

    public static String serverString(ServerHello hello) {
        StringBuilder sb = new StringBuilder(64);
        sb.append(Math.max(hello.legacyVersion(), 0)).append(',');
        sb.append(Math.max(hello.cipherSuite(), 0)).append(',');
        join(sb, hello.extensions());
        return sb.toString();
    }

    public static String serverMd5(ServerHello hello) {
        return Hex.md5(serverString(hello));
    }

    private static StringBuilder join(StringBuilder sb, List<Integer> values) {
        boolean first = true;
        for (int v : values) {
            if (Grease.isGrease(v)) {
                continue;
            }
            if (!first) {
                sb.append('-');
            }
            sb.append(v);
            first = false;
        }
        return sb;
    }
}
