package io.tlsagent.anatomy;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLEngineResult;

/**
 * Runs a handshake between a client and a server SSLEngine in memory and keeps every byte each side sent, so
 * tests can pick out the handshake messages that travelled in clear.
 */
public final class EnginePair {

    public final SSLEngine client;
    public final SSLEngine server;
    private final ByteArrayList clientSent = new ByteArrayList();
    private final ByteArrayList serverSent = new ByteArrayList();

    public EnginePair(SSLEngine client, SSLEngine server) {
        this.client = client;
        this.server = server;
    }

    /** Handshakes to the end, then keeps pumping so TLS 1.3 NewSessionTicket reaches the client. */
    public EnginePair handshake() throws Exception {
        client.beginHandshake();
        server.beginHandshake();
        int packet = Math.max(client.getSession().getPacketBufferSize(), server.getSession().getPacketBufferSize());
        int app = Math.max(client.getSession().getApplicationBufferSize(), server.getSession().getApplicationBufferSize());
        ByteBuffer toServer = ByteBuffer.allocate(8 * packet);
        ByteBuffer toClient = ByteBuffer.allocate(8 * packet);
        ByteBuffer sink = ByteBuffer.allocate(8 * app);
        ByteBuffer empty = ByteBuffer.allocate(0);
        for (int round = 0; round < 200; round++) {
            boolean progress = wrap(client, empty, toServer, clientSent);
            progress |= wrap(server, empty, toClient, serverSent);
            progress |= unwrap(server, toServer, sink);
            progress |= unwrap(client, toClient, sink);
            boolean done = !handshaking(client) && !handshaking(server);
            if (done && !progress && toServer.position() == 0 && toClient.position() == 0) {
                return this;
            }
        }
        throw new IllegalStateException("handshake did not finish: client " + client.getHandshakeStatus()
                + ", server " + server.getHandshakeStatus());
    }

    private static boolean handshaking(SSLEngine e) {
        HandshakeStatus s = e.getHandshakeStatus();
        return s != HandshakeStatus.NOT_HANDSHAKING && s != HandshakeStatus.FINISHED;
    }

    private static boolean wrap(SSLEngine e, ByteBuffer app, ByteBuffer net, ByteArrayList sent) throws Exception {
        boolean progress = false;
        while (true) {
            runTasks(e);
            int before = net.position();
            SSLEngineResult r = e.wrap(app, net);
            runTasks(e);
            int produced = net.position() - before;
            if (produced > 0) {
                sent.add(net, before, produced);
                progress = true;
            }
            if (produced == 0 || r.getStatus() != SSLEngineResult.Status.OK) {
                return progress;
            }
        }
    }

    private static boolean unwrap(SSLEngine e, ByteBuffer net, ByteBuffer sink) throws Exception {
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

    /** The first flight of {@code client.wrap}: the ClientHello, without starting the server. */
    /** The body of the ClientHello a client engine sends first (without the 4-byte header). */
    public static byte[] clientHelloBody(SSLEngine client) throws Exception {
        ByteBuffer b = body(clearHandshakeMessages(firstClientFlight(client)), 1);
        byte[] out = new byte[b.remaining()];
        b.duplicate().get(out);
        return out;
    }

    static byte[] firstClientFlight(SSLEngine client) throws Exception {
        ByteBuffer net = ByteBuffer.allocate(client.getSession().getPacketBufferSize());
        client.beginHandshake();
        client.wrap(ByteBuffer.allocate(0), net);
        runTasks(client);
        return Arrays.copyOf(net.array(), net.position());
    }

    /** Handshake messages the client sent in clear (header included). */
    List<byte[]> clientMessages() {
        return clearHandshakeMessages(clientSent.toArray());
    }

    /** Handshake messages the server sent in clear (header included). */
    List<byte[]> serverMessages() {
        return clearHandshakeMessages(serverSent.toArray());
    }

    /** The body (after the 4-byte header) of the first message of the given type. */
    static ByteBuffer body(List<byte[]> messages, int type) {
        for (byte[] m : messages) {
            if ((m[0] & 0xFF) == type) {
                return ByteBuffer.wrap(m, 4, m.length - 4).slice();
            }
        }
        throw new AssertionError("no handshake message of type " + type);
    }

    /**
     * Reassembles handshake messages from the TLS records in {@code wire} (5-byte record headers), stopping at
     * the first ChangeCipherSpec or application-data record: everything after that is encrypted.
     */
    static List<byte[]> clearHandshakeMessages(byte[] wire) {
        ByteArrayList handshake = new ByteArrayList();
        int pos = 0;
        while (pos + 5 <= wire.length) {
            int type = wire[pos] & 0xFF;
            int length = ((wire[pos + 3] & 0xFF) << 8) | (wire[pos + 4] & 0xFF);
            if (type != 22) {
                break;
            }
            handshake.add(ByteBuffer.wrap(wire), pos + 5, length);
            pos += 5 + length;
        }
        byte[] all = handshake.toArray();
        List<byte[]> messages = new ArrayList<>();
        int p = 0;
        while (p + 4 <= all.length) {
            int length = ((all[p + 1] & 0xFF) << 16) | ((all[p + 2] & 0xFF) << 8) | (all[p + 3] & 0xFF);
            if (p + 4 + length > all.length) {
                break;
            }
            messages.add(Arrays.copyOfRange(all, p, p + 4 + length));
            p += 4 + length;
        }
        return messages;
    }

    /** A growable byte array. */
    static final class ByteArrayList {
        private byte[] data = new byte[1024];
        private int size;

        void add(ByteBuffer src, int offset, int length) {
            if (size + length > data.length) {
                data = Arrays.copyOf(data, Math.max(2 * data.length, size + length));
            }
            for (int i = 0; i < length; i++) {
                data[size++] = src.get(offset + i);
            }
        }

        byte[] toArray() {
            return Arrays.copyOf(data, size);
        }
    }

    /**
     * A handshake that fails: pumps until both engines are closed, as an application does that sends the alert it
     * was given.
     */
    public static void failingHandshake(SSLEngine client, SSLEngine server) throws Exception {
        client.beginHandshake();
        server.beginHandshake();
        ByteBuffer toServer = ByteBuffer.allocate(64 * 1024);
        ByteBuffer toClient = ByteBuffer.allocate(64 * 1024);
        ByteBuffer sink = ByteBuffer.allocate(64 * 1024);
        ByteBuffer empty = ByteBuffer.allocate(0);
        for (int round = 0; round < 100 && !(client.isOutboundDone() && server.isOutboundDone()); round++) {
            failingStep(client, empty, toServer, toClient, sink);
            failingStep(server, empty, toClient, toServer, sink);
        }
    }

    private static void failingStep(SSLEngine e, ByteBuffer empty, ByteBuffer out, ByteBuffer in, ByteBuffer sink) {
        try {
            Runnable task;
            while ((task = e.getDelegatedTask()) != null) {
                task.run();
            }
            if (!e.isOutboundDone()) {
                e.wrap(empty, out);
            }
            in.flip();
            if (in.hasRemaining() && !e.isInboundDone()) {
                e.unwrap(in, sink);
            }
            in.compact();
            sink.clear();
        } catch (Exception failed) {
            // The engine failed the handshake: its alert goes out with the next wrap, as an application sends it.
            in.clear();
            if (e.getHandshakeStatus() == javax.net.ssl.SSLEngineResult.HandshakeStatus.NEED_WRAP) {
                try {
                    e.wrap(empty, out);
                } catch (Exception ignored) {
                    // closed
                }
            }
        }
    }
}
