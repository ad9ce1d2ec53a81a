package io.tlsagent.record;

/** Which side of the connection this JVM played. */
public enum Role {
    CLIENT, SERVER;

    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
