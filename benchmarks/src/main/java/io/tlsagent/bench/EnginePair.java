package io.tlsagent.bench;

import java.nio.ByteBuffer;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLException;

/** A client and a server SSLEngine wired back to back in memory; handshakes and application data, nothing else. */
final class EnginePair {

    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

    final SSLEngine client;
    final SSLEngine server;
    private final ByteBuffer toServer;
    private final ByteBuffer toClient;
    private final ByteBuffer sink;
    private long serverBytes;

    EnginePair(SSLEngine client, SSLEngine server) {
        this.client = client;
        this.server = server;
        int packet = client.getSession().getPacketBufferSize();
        toServer = ByteBuffer.allocate(4 * packet);
        toClient = ByteBuffer.allocate(4 * packet);
        sink = ByteBuffer.allocate(4 * client.getSession().getApplicationBufferSize());
    }

    /**
     * A pair for {@code protocol} ("TLSv1.3", "TLSv1.2"). With {@code resumable} the client engine names its peer
     * (localhost:4433), so its context's session cache offers the last session again; without, every handshake is
     * a full one.
     */
    static EnginePair of(Pki pki, String protocol, boolean resumable) {
        SSLEngine c = resumable ? pki.client.createSSLEngine("localhost", 4433) : pki.client.createSSLEngine();
        c.setUseClientMode(true);
        c.setEnabledProtocols(new String[] {protocol});
        SSLEngine s = pki.server.createSSLEngine();
        s.setUseClientMode(false);
        s.setEnabledProtocols(new String[] {protocol});
        return new EnginePair(c, s);
    }

    static EnginePair of(SSLContext client, SSLContext server) {
        SSLEngine c = client.createSSLEngine();
        c.setUseClientMode(true);
        SSLEngine s = server.createSSLEngine();
        s.setUseClientMode(false);
        return new EnginePair(c, s);
    }

    /**
     * Handshakes both sides to the end, then keeps going until neither has anything left to send (a TLS 1.3
     * server's NewSessionTicket reaches the client). Returns the bytes the server sent.
     */
    long handshake() throws SSLException {
        serverBytes = 0;
        client.beginHandshake();
        server.beginHandshake();
        for (int round = 0; round < 50; round++) {
            boolean progress = send(client, toServer) > 0;
            int fromServer = send(server, toClient);
            serverBytes += fromServer;
            progress |= fromServer > 0;
            progress |= receive(server, toServer);
            progress |= receive(client, toClient);
            if (!progress && !handshaking(client) && !handshaking(server)) {
                return serverBytes;
            }
        }
        throw new IllegalStateException("handshake did not finish: client " + client.getHandshakeStatus()
                + ", server " + server.getHandshakeStatus());
    }

    /** The client's first flight only: a ClientHello the server reads, then both are dropped (never closed). */
    void abandonAfterClientHello() throws SSLException {
        send(client, toServer);
        toServer.flip();
        server.unwrap(toServer, sink); // its delegated task (the costly part) is never run
        toServer.clear();
        sink.clear();
    }

    /** The client's ClientHello record, as sent (for a realistic log line). */
    ByteBuffer clientHello() throws SSLException {
        ByteBuffer out = ByteBuffer.allocate(client.getSession().getPacketBufferSize());
        client.wrap(EMPTY, out);
        out.flip();
        return out;
    }

    private static boolean handshaking(SSLEngine e) {
        HandshakeStatus s = e.getHandshakeStatus();
        return s != HandshakeStatus.NOT_HANDSHAKING && s != HandshakeStatus.FINISHED;
    }

    private static int send(SSLEngine e, ByteBuffer net) throws SSLException {
        int sent = 0;
        while (true) {
            runTasks(e);
            SSLEngineResult r = e.wrap(EMPTY, net);
            runTasks(e);
            sent += r.bytesProduced();
            if (r.bytesProduced() == 0 || r.getStatus() != SSLEngineResult.Status.OK) {
                return sent;
            }
        }
    }

    private boolean receive(SSLEngine e, ByteBuffer net) throws SSLException {
        boolean progress = false;
        net.flip();
        try {
            while (net.hasRemaining()) {
                runTasks(e);
                SSLEngineResult r = e.unwrap(net, sink);
                runTasks(e);
                sink.clear();
                if (r.bytesConsumed() == 0) {
                    break;
                }
                progress = true;
            }
        } finally {
            net.compact();
        }
        return progress;
    }

    private static void runTasks(SSLEngine e) {
        Runnable task;
        while ((task = e.getDelegatedTask()) != null) {
            task.run();
        }
    }
}
