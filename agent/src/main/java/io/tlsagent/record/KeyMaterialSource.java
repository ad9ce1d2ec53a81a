package io.tlsagent.record;

/** Where a certificate of this JVM's own key material comes from: what the application loaded, or the JDK's roots. */
public enum KeyMaterialSource {

    /** A key entry (leaf and chain) of a key store given to a {@code KeyManagerFactory}: what this JVM presents. */
    LOCAL_KEYSTORE("local_keystore"),
    /**
     * A trust anchor of a key store given to a {@code TrustManagerFactory}, or of the trust store named by
     * {@code javax.net.ssl.trustStore}: what the application chose to trust.
     */
    LOCAL_TRUSTSTORE("local_truststore"),
    /** A root of the JDK's own trust store ({@code cacerts}, or {@code jssecacerts}): the JDK's choice, not the application's. */
    JDK_TRUSTSTORE("jdk_truststore");

    private final String label;

    KeyMaterialSource(String label) {
        this.label = label;
    }

    /** The value of the {@code presented_by} and {@code source} labels. */
    public String label() {
        return label;
    }
}
