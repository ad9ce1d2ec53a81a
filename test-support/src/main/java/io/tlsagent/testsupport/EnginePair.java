package io.tlsagent.testsupport;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;

/**
 * A client and a server {@link SSLEngine} wired back to back in memory, with nothing else in the way: any provider
 * (SunJSSE, Bouncy Castle, Conscrypt). Each side has an inbox (what the peer sent and it has not read yet) and the
 * pair one sink for the application data a handshake unwraps; all are allocated once, when the pair is made, so a
 * benchmark's handshake costs what the engines cost.
 *
 * <p>{@link #run} pumps until neither engine has anything left to do: the handshake, then what follows it in the
 * same flights (a TLS 1.3 server's NewSessionTicket reaches the client). A failure is the failing side's: its
 * alert is wrapped once and handed to the peer (as the SSLEngine contract says), which then fails in turn, and it
 * reads nothing more; {@link #clientFailure()} and {@link #serverFailure()} say how each side ended.
 * {@link #handshake} is the same for a handshake that must succeed. {@link #recordingSentBytes()} keeps every byte
 * each side sent, for tests of the handshake messages that travelled in clear.
 */
public final class EnginePair {

    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);
    private static final int MAX_ROUNDS = 200;

    public final SSLEngine client;
    public final SSLEngine server;
    private final Side clientSide;
    private final Side serverSide;
    private final ByteBuffer sink;
    private SSLException firstFailure;
    private long serverBytes;

    /** One side: its engine, its inbox (write mode), how it ended, what it sent (when recorded). */
    private static final class Side {
        final SSLEngine engine;
        final ByteBuffer inbox;
        Side peer;
        SSLException failure;
        boolean flushed;
        ByteArrayList sent;

        Side(SSLEngine engine, int capacity) {
            this.engine = engine;
            this.inbox = ByteBuffer.allocate(capacity);
        }
    }

    /** Two engines as made, their client and server modes set. */
    public EnginePair(SSLEngine client, SSLEngine server) {
        this.client = client;
        this.server = server;
        int packet = Math.max(client.getSession().getPacketBufferSize(), server.getSession().getPacketBufferSize());
        int app = Math.max(client.getSession().getApplicationBufferSize(),
                server.getSession().getApplicationBufferSize());
        clientSide = new Side(client, 4 * packet);
        serverSide = new Side(server, 4 * packet);
        clientSide.peer = serverSide;
        serverSide.peer = clientSide;
        sink = ByteBuffer.allocate(4 * app);
    }

    /** A client engine that names no peer (its session cache offers nothing), and a server engine. */
    public static EnginePair of(SSLContext client, SSLContext server) {
        return modes(client.createSSLEngine(), server.createSSLEngine());
    }

    /**
     * A client engine for {@code peerHost:peerPort} (its context's session cache offers the last session of that
     * peer again: the handshake can resume), and a server engine.
     */
    public static EnginePair of(SSLContext client, String peerHost, int peerPort, SSLContext server) {
        return modes(client.createSSLEngine(peerHost, peerPort), server.createSSLEngine());
    }

    private static EnginePair modes(SSLEngine c, SSLEngine s) {
        c.setUseClientMode(true);
        s.setUseClientMode(false);
        return new EnginePair(c, s);
    }

    /** Enables only {@code protocols} ({@code TLSv1.3}, ...) on both engines. */
    public EnginePair protocols(String... protocols) {
        client.setEnabledProtocols(protocols);
        server.setEnabledProtocols(protocols);
        return this;
    }

    /** Keeps every byte each side sends from now on ({@link #clientMessages()}, {@link #serverMessages()}). */
    public EnginePair recordingSentBytes() {
        clientSide.sent = new ByteArrayList();
        serverSide.sent = new ByteArrayList();
        return this;
    }

    /** Runs a handshake that must succeed: as {@link #run}, and throws the first side's failure. */
    public EnginePair handshake() throws SSLException {
        run();
        if (firstFailure != null) {
            throw firstFailure;
        }
        return this;
    }

    /**
     * Begins the handshake on both engines and pumps until neither has anything left to send or read, each side
     * having finished its handshake or failed. Throws {@link IllegalStateException} when they never get there (a
     * side still waiting for a peer that has nothing more to say).
     */
    public EnginePair run() {
        serverBytes = 0;
        begin(clientSide);
        begin(serverSide);
        for (int round = 0; round < MAX_ROUNDS; round++) {
            boolean progress = wrap(clientSide);
            progress |= wrap(serverSide);
            progress |= unwrap(serverSide);
            progress |= unwrap(clientSide);
            boolean quiet = clientSide.inbox.position() == 0 && serverSide.inbox.position() == 0;
            if (!progress && quiet && ended(clientSide) && ended(serverSide)) {
                return this;
            }
        }
        throw new IllegalStateException("the engines did not settle: client " + client.getHandshakeStatus()
                + " (" + clientSide.failure + "), server " + server.getHandshakeStatus() + " (" + serverSide.failure
                + ")");
    }

    /** How the client's handshake ended: null for success. */
    public SSLException clientFailure() {
        return clientSide.failure;
    }

    public SSLException serverFailure() {
        return serverSide.failure;
    }

    /** The failure that came first (the other side's usually follows from it), or null. */
    public SSLException firstFailure() {
        return firstFailure;
    }

    /** Bytes the server sent in the last {@link #run}: a resumed TLS 1.3 handshake sends no certificate. */
    public long serverBytes() {
        return serverBytes;
    }

    /**
     * {@code from}'s whole next flight (wrapped with its delegated tasks run) handed to its peer, which reads it all
     * and runs its own tasks: one step of a handshake driven by hand (a client's hello, then the test closes the
     * server's transport). Returns the bytes sent.
     */
    public int flight(SSLEngine from) throws SSLException {
        Side side = side(from);
        int sent = wrapAll(side);
        unwrapAll(side.peer);
        return sent;
    }

    /**
     * The client's first flight, which the server reads without running its delegated task (the costly part); then
     * both are dropped, never closed: a handshake abandoned midway, that nobody can report.
     */
    public void abandonAfterClientHello() throws SSLException {
        wrapAll(clientSide);
        ByteBuffer toServer = serverSide.inbox;
        toServer.flip();
        server.unwrap(toServer, sink);
        toServer.clear();
        sink.clear();
    }

    /**
     * Application data after the handshake: {@code text} wrapped by {@code from} and read by its peer, which also
     * takes in whatever else it was sent before. Returns the text the peer read.
     */
    public String send(SSLEngine from, String text) throws SSLException {
        Side side = side(from);
        ByteBuffer plain = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
        for (int i = 0; i < 16 && plain.hasRemaining(); i++) {
            SSLEngineResult r = from.wrap(plain, side.peer.inbox);
            runTasks(from);
            if (r.getStatus() != SSLEngineResult.Status.OK) {
                break;
            }
        }
        ByteBuffer read = ByteBuffer.allocate(2 * side.peer.engine.getSession().getApplicationBufferSize());
        ByteBuffer net = side.peer.inbox;
        net.flip();
        try {
            while (net.hasRemaining()) {
                SSLEngineResult r = side.peer.engine.unwrap(net, read);
                runTasks(side.peer.engine);
                if (r.bytesConsumed() == 0 || r.getStatus() == SSLEngineResult.Status.CLOSED) {
                    break;
                }
            }
        } finally {
            net.compact();
        }
        read.flip();
        return StandardCharsets.UTF_8.decode(read).toString();
    }

    private Side side(SSLEngine engine) {
        if (engine == client) {
            return clientSide;
        }
        if (engine == server) {
            return serverSide;
        }
        throw new IllegalArgumentException("not an engine of this pair: " + engine);
    }

    private void begin(Side side) {
        try {
            side.engine.beginHandshake();
        } catch (SSLException e) {
            fail(side, e);
        }
    }

    private void fail(Side side, SSLException e) {
        side.failure = e;
        if (firstFailure == null) {
            firstFailure = e;
        }
        side.inbox.clear(); // a failed engine reads nothing more
    }

    /** The side sends what it has; a failed side sends its alert, once. True if anything happened. */
    private boolean wrap(Side side) {
        if (side.failure != null) {
            if (side.flushed) {
                return false;
            }
            side.flushed = true;
            try {
                wrapAll(side);
            } catch (SSLException again) {
                // nothing more to send
            }
            return true;
        }
        try {
            return wrapAll(side) > 0;
        } catch (SSLException e) {
            fail(side, e);
            return true;
        }
    }

    /** The side reads what it was sent; a failed side drops it. True if anything happened. */
    private boolean unwrap(Side side) {
        if (side.failure != null) {
            boolean dropped = side.inbox.position() > 0;
            side.inbox.clear();
            return dropped;
        }
        try {
            return unwrapAll(side);
        } catch (SSLException e) {
            fail(side, e);
            return true;
        }
    }

    /** Wraps until the engine produces nothing more, into the peer's inbox. Returns the bytes produced. */
    private int wrapAll(Side side) throws SSLException {
        SSLEngine e = side.engine;
        ByteBuffer net = side.peer.inbox;
        int produced = 0;
        while (true) {
            runTasks(e);
            int before = net.position();
            SSLEngineResult r = e.wrap(EMPTY, net);
            runTasks(e);
            int n = net.position() - before;
            if (n > 0 && side.sent != null) {
                side.sent.add(net, before, n);
            }
            produced += n;
            if (side == serverSide) {
                serverBytes += n;
            }
            if (n == 0 || r.getStatus() != SSLEngineResult.Status.OK) {
                return produced;
            }
        }
    }

    /** Unwraps everything in the side's inbox it can. True if it consumed anything. */
    private boolean unwrapAll(Side side) throws SSLException {
        SSLEngine e = side.engine;
        ByteBuffer net = side.inbox;
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
                if (r.getStatus() == SSLEngineResult.Status.CLOSED) {
                    break;
                }
            }
        } finally {
            net.compact();
        }
        return progress;
    }

    private static boolean ended(Side side) {
        return side.failure != null || !handshaking(side.engine);
    }

    private static boolean handshaking(SSLEngine e) {
        HandshakeStatus s = e.getHandshakeStatus();
        return s != HandshakeStatus.NOT_HANDSHAKING && s != HandshakeStatus.FINISHED;
    }

    private static void runTasks(SSLEngine e) {
        Runnable task;
        while ((task = e.getDelegatedTask()) != null) {
            task.run();
        }
    }

    // ---- the handshake messages that travelled in clear

    /** The client's first flight ({@code wrap} once after {@code beginHandshake}): its ClientHello record. */
    public static byte[] firstClientFlight(SSLEngine client) throws SSLException {
        ByteBuffer net = ByteBuffer.allocate(client.getSession().getPacketBufferSize());
        client.beginHandshake();
        client.wrap(EMPTY, net);
        runTasks(client);
        return Arrays.copyOf(net.array(), net.position());
    }

    /** The body (after the 4-byte header) of the ClientHello a client engine sends first, as a copy. */
    public static byte[] clientHelloBody(SSLEngine client) throws SSLException {
        ByteBuffer body = body(clearHandshakeMessages(firstClientFlight(client)), 1);
        byte[] out = new byte[body.remaining()];
        body.get(out);
        return out;
    }

    /** Handshake messages the client sent in clear (header included); needs {@link #recordingSentBytes()}. */
    public List<byte[]> clientMessages() {
        return clearHandshakeMessages(recorded(clientSide));
    }

    /** Handshake messages the server sent in clear (header included); needs {@link #recordingSentBytes()}. */
    public List<byte[]> serverMessages() {
        return clearHandshakeMessages(recorded(serverSide));
    }

    private static byte[] recorded(Side side) {
        if (side.sent == null) {
            throw new IllegalStateException("call recordingSentBytes() before the handshake");
        }
        return side.sent.toArray();
    }

    /** The body (after the 4-byte header) of the first message of the given type. */
    public static ByteBuffer body(List<byte[]> messages, int type) {
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
    public static List<byte[]> clearHandshakeMessages(byte[] wire) {
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
    private static final class ByteArrayList {
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
}
