package io.tlsagent.demo;

import java.nio.ByteBuffer;
import java.util.function.BooleanSupplier;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLException;

/**
 * Connects a client SSLEngine and a server SSLEngine through two in-memory buffers: each round, each end wraps
 * what it has to send and unwraps what the other end sent, running delegated tasks inline. Handshakes, sends one
 * byte each way, then closes both ends with close_notify.
 */
final class EnginePump {

    private static final int MAX_ROUNDS = 1_000;

    private final End client;
    private final End server;
    /** Network data in flight, in write mode (the sender appends, the receiver flips, reads and compacts). */
    private final ByteBuffer clientToServer;
    private final ByteBuffer serverToClient;

    EnginePump(SSLEngine client, SSLEngine server) {
        this.client = new End(client);
        this.server = new End(server);
        int packet = Math.max(client.getSession().getPacketBufferSize(), server.getSession().getPacketBufferSize());
        this.clientToServer = ByteBuffer.allocate(4 * packet);
        this.serverToClient = ByteBuffer.allocate(4 * packet);
    }

    /**
     * Runs the connection.
     *
     * @throws SSLException the client's failure, or a failure on the server side only
     */
    void run() throws SSLException {
        client.engine.beginHandshake();
        server.engine.beginHandshake();
        pump(() -> client.received.position() > 0 && server.received.position() > 0);
        if (client.failure != null) {
            throw client.failure;
        }
        if (server.failure != null) {
            throw new SSLException("the server side failed: " + server.failure.getMessage(), server.failure);
        }
        if (client.received.position() == 0 || server.received.position() == 0) {
            throw new SSLException("the SSLEngine handshake stalled (client "
                    + client.engine.getHandshakeStatus() + ", server " + server.engine.getHandshakeStatus() + ")");
        }
        client.engine.closeOutbound();
        pump(() -> client.closed() && server.closed());
    }

    /** Rounds until done, or until nothing moves any more. */
    private void pump(BooleanSupplier done) {
        for (int round = 0; round < MAX_ROUNDS; round++) {
            if (done.getAsBoolean()) {
                return;
            }
            boolean moved = step(client, serverToClient, clientToServer);
            moved |= step(server, clientToServer, serverToClient);
            if (!moved) {
                return;
            }
        }
        throw new IllegalStateException("the SSLEngine pump did not finish in " + MAX_ROUNDS + " rounds");
    }

    /** The end wraps into {@code out}, then unwraps from {@code in}. True if anything moved. */
    private static boolean step(End end, ByteBuffer in, ByteBuffer out) {
        boolean moved = false;
        try {
            if (end.failure == null && end.engine.isInboundDone()) {
                end.engine.closeOutbound(); // answer the peer's close_notify with ours
            }
            if (!end.engine.isOutboundDone()) {
                // During the handshake this produces handshake messages; after it, the byte to send (once).
                SSLEngineResult result = end.engine.wrap(end.toSend, out);
                moved = result.bytesProduced() > 0 || result.bytesConsumed() > 0;
                moved |= runTasks(end.engine);
            }
            if (end.failure == null && !end.engine.isInboundDone()) {
                in.flip();
                SSLEngineResult result;
                try {
                    result = end.engine.unwrap(in, end.received);
                } finally {
                    in.compact();
                }
                moved |= result.bytesProduced() > 0 || result.bytesConsumed() > 0;
                moved |= runTasks(end.engine);
            }
        } catch (SSLException e) {
            // A failed end still wraps afterwards: that sends its alert to the other end.
            if (end.failure == null) {
                end.failure = e;
                moved = true;
            }
        }
        return moved;
    }

    /** Runs the engine's delegated tasks (certificate checks, key agreement) on this thread. */
    private static boolean runTasks(SSLEngine engine) {
        boolean ran = false;
        for (Runnable task = engine.getDelegatedTask(); task != null; task = engine.getDelegatedTask()) {
            task.run();
            ran = true;
        }
        return ran;
    }

    /** One side of the connection. */
    private static final class End {
        final SSLEngine engine;
        final ByteBuffer toSend = ByteBuffer.wrap(new byte[] {'x'});
        final ByteBuffer received;
        SSLException failure;

        End(SSLEngine engine) {
            this.engine = engine;
            this.received = ByteBuffer.allocate(engine.getSession().getApplicationBufferSize());
        }

        boolean closed() {
            return engine.isInboundDone() && engine.isOutboundDone();
        }
    }
}
