package io.tlsagent.record;

/** The public JSSE type the application used. */
public enum Api {
    SSL_SOCKET("SSLSocket"), SSL_ENGINE("SSLEngine");

    private final String label;

    Api(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
