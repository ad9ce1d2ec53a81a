package io.tlsagent.export.ecs;

/** Splits JSSE's protocol names into ECS's {@code tls.version_protocol} and {@code tls.version}. */
public final class ProtocolNames {

    private ProtocolNames() {}

    /** {@code TLSv1.3} gives {tls, 1.3}; {@code TLSv1} gives {tls, 1.0}; {@code SSLv3} gives {ssl, 3.0}. */
    public static String[] split(String jsseName) {
        if (jsseName == null) {
            return null;
        }
        int v = jsseName.indexOf('v');
        if (v <= 0 || v == jsseName.length() - 1) {
            return null;
        }
        String family = jsseName.substring(0, v).toLowerCase(java.util.Locale.ROOT);
        String number = jsseName.substring(v + 1);
        if (!family.equals("tls") && !family.equals("ssl") && !family.equals("dtls")) {
            return null;
        }
        return new String[] {family, number.contains(".") ? number : number + ".0"};
    }
}
