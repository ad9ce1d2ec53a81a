package io.tlsagent.record;

/** An exporter: receives each finished record on the handshake's thread, so it must be quick and never block. */
public interface HandshakeListener {
    void onHandshake(HandshakeRecord record);
}
