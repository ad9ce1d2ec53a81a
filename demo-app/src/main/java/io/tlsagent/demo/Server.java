package io.tlsagent.demo;

/** One of the demo's TLS servers, listening on loopback. */
interface Server extends AutoCloseable {

    /** A short name, e.g. "tls". */
    String name();

    int port();

    /** Its URL and what it does, for the start-up text. */
    String describe();

    @Override
    void close();
}
