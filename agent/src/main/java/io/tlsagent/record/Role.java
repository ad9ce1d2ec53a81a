package io.tlsagent.record;

/** Which side of the connection this JVM played. */
public enum Role {
    CLIENT, SERVER;

    private final String label = name().toLowerCase(java.util.Locale.ROOT);

    /** The lower-case name, as logs and labels show it (made once: handshake threads ask for it). */
    public String label() {
        return label;
    }
}
