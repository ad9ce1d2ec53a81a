package io.tlsagent.demo;

import java.security.Security;
import java.util.ArrayList;
import java.util.List;

/**
 * Lets this JVM speak TLS 1.0 and 1.1, which the JDK disables (jdk.tls.disabledAlgorithms), so that the demo can
 * show what an operator must find: a legacy client still negotiating an old protocol. Only the demo's legacy
 * server and clients enable these versions; every other server and client names its protocols explicitly.
 * Must run before the first TLS class reads the property (before any SSLContext is made).
 */
final class LegacyTls {

    private static final String DISABLED = "jdk.tls.disabledAlgorithms";

    private LegacyTls() {}

    static void enable() {
        String value = Security.getProperty(DISABLED);
        if (value == null) {
            return;
        }
        List<String> kept = new ArrayList<>();
        for (String entry : value.split(",")) {
            String e = entry.trim();
            if (!e.isEmpty() && !e.equals("TLSv1") && !e.equals("TLSv1.1")) {
                kept.add(e);
            }
        }
        Security.setProperty(DISABLED, String.join(", ", kept));
    }
}
