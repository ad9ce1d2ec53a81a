package io.tlsagent.config;

/** A setting the agent cannot accept; the message is one line for the operator. */
public final class ConfigException extends Exception {
    public ConfigException(String message) {
        super(message);
    }
}
