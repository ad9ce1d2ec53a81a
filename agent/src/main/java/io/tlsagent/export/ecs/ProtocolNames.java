package io.tlsagent.export.ecs;

/** Splits JSSE's protocol names into ECS's {@code tls.version_protocol} and {@code tls.version}. */
public final class ProtocolNames {

    /** The names every JVM uses, split once (the log writes one per line). */
    private static final java.util.Map<String, String[]> KNOWN = new java.util.HashMap<>();

    static {
        for (String name : new String[] {"TLSv1.3", "TLSv1.2", "TLSv1.1", "TLSv1", "SSLv3", "DTLSv1.2", "DTLSv1.0"}) {
            KNOWN.put(name, splitNow(name));
        }
    }

    private ProtocolNames() {}

    /**
     * {@code TLSv1.3} gives {tls, 1.3}; {@code TLSv1} gives {tls, 1.0}; {@code SSLv3} gives {ssl, 3.0}. The array
     * of a known name is shared: read it, never change it.
     */
    public static String[] split(String jsseName) {
        String[] known = jsseName == null ? null : KNOWN.get(jsseName);
        return known != null ? known : splitNow(jsseName);
    }

    private static String[] splitNow(String jsseName) {
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
