package io.tlsagent.it;

import io.tlsagent.testsupport.EnginePair;
import io.tlsagent.testsupport.TestPki;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;

/**
 * The program the integration tests run in a separate JVM with the agent. Each step runs its handshakes on
 * threads named {@code <step>/client}, {@code <step>/server} or {@code <step>/engine}, so the test can find
 * the records of a step by {@code process.thread.name}.
 *
 * <pre>
 * Workload [--pki DIR] [--steps a,b,...] [--interactive] [--openssl-server] [--openssl-client PORT DIR] [--hold]
 * </pre>
 */
public final class Workload {

    private static final String[] TLS13 = {"TLSv1.3"};
    private static final String[] TLS12 = {"TLSv1.2"};
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    private final TestPki pki;
    private final Map<String, Step> steps = new LinkedHashMap<>();

    interface Step {
        void run(String name) throws Exception;
    }

    private Workload(TestPki pki) {
        this.pki = pki;
        steps.put("socket-tls13-full", n -> sockets(n, pki.serverContext(), TLS13, pki.clientContext(), TLS13, 1));
        steps.put("socket-tls13-resume", n -> sockets(n, pki.serverContext(), TLS13, pki.clientContext(), TLS13, 2));
        steps.put("socket-tls12-full", n -> sockets(n, pki.serverContext(), TLS12, pki.clientContext(), TLS12, 1));
        steps.put("socket-tls12-ticket", n -> sockets(n, pki.serverContext(), TLS12, pki.clientContext(), TLS12, 2));
        steps.put("socket-tls12-sessionid",
                n -> sockets(n, withoutServerTickets(), TLS12, pki.clientContext(), TLS12, 2));
        steps.put("socket-version-mismatch",
                n -> sockets(n, pki.serverContext(), TLS13, pki.clientContext(), TLS12, 1));
        steps.put("socket-untrusted",
                n -> sockets(n, pki.untrustedServerContext(), TLS13, pki.clientContext(), TLS13, 1));
        steps.put("socket-peer-closed", this::socketPeerClosed);
        // startHandshake() again on an established connection: a TLS 1.2 renegotiation (a second handshake), and a
        // TLS 1.3 KeyUpdate (a post-handshake message, not a handshake).
        steps.put("socket-tls12-renegotiate", n -> rehandshake(n, TLS12));
        steps.put("socket-tls13-keyupdate", n -> rehandshake(n, TLS13));
        steps.put("engine-tls13-full", n -> engines(n, pki.serverContext(), TLS13, pki.clientContext(), TLS13, 1));
        steps.put("engine-tls13-resume", n -> engines(n, pki.serverContext(), TLS13, pki.clientContext(), TLS13, 2));
        steps.put("engine-tls12-full", n -> engines(n, pki.serverContext(), TLS12, pki.clientContext(), TLS12, 1));
        steps.put("engine-tls12-ticket", n -> engines(n, pki.serverContext(), TLS12, pki.clientContext(), TLS12, 2));
        steps.put("engine-tls12-sessionid",
                n -> engines(n, withoutServerTickets(), TLS12, pki.clientContext(), TLS12, 2));
        steps.put("engine-version-mismatch",
                n -> engines(n, pki.serverContext(), TLS13, pki.clientContext(), TLS12, 1));
        steps.put("engine-untrusted",
                n -> engines(n, pki.untrustedServerContext(), TLS13, pki.clientContext(), TLS13, 1));
        steps.put("engine-peer-closed", this::enginePeerClosed);
        // A server that takes a second to choose its key: a slow handshake on both sides (JFR thresholds).
        steps.put("engine-tls13-slow",
                n -> engines(n, pki.slowServerContext(1000), TLS13, pki.clientContext(), TLS13, 1));
        // Bouncy Castle's JSSE as the client, the JDK's as the server: one provider seen through the public API,
        // the other deeply, in one JVM.
        steps.put("bc-engine-tls13", n -> engines(n, pki.serverContext(), TLS13, bcClient(), TLS13, 2));
        steps.put("bc-engine-tls12", n -> engines(n, pki.serverContext(), TLS12, bcClient(), TLS12, 1));
        steps.put("bc-socket-tls13", n -> sockets(n, pki.serverContext(), TLS13, bcClient(), TLS13, 1));
        steps.put("bc-engine-untrusted",
                n -> engines(n, pki.untrustedServerContext(), TLS13, bcClient(), TLS13, 1));
    }

    public static void main(String[] args) throws Exception {
        System.out.println("JAVA " + Runtime.version().feature());
        int first = args.length > 1 && args[0].equals("--pki") ? 2 : 0;
        Workload w = new Workload(first == 2 ? TestPki.load(Paths.get(args[1])) : TestPki.create());
        boolean hold = false;
        for (int i = first; i < args.length; i++) {
            switch (args[i]) {
                case "--steps":
                    for (String name : args[++i].split(",")) {
                        w.runStep(name);
                    }
                    break;
                case "--openssl-server":
                    System.out.println("OPENSSL-SERVER " + w.opensslServer());
                    break;
                case "--soak":
                    w.soak(Integer.parseInt(args[++i]), Integer.parseInt(args[++i]));
                    break;
                case "--abandon":
                    w.abandon(Integer.parseInt(args[++i]));
                    break;
                case "--sni-flood":
                    w.sniFlood(Integer.parseInt(args[++i]), Integer.parseInt(args[++i]));
                    break;
                case "--connect":
                    w.connect(Integer.parseInt(args[++i]));
                    break;
                case "--openssl-client":
                    w.opensslClient(Integer.parseInt(args[++i]), Paths.get(args[++i]));
                    break;
                case "--hold":
                    hold = true;
                    break;
                case "--gc":
                    System.gc(); // what the agent keeps must survive collections (weakly held meters did not)
                    System.gc();
                    break;
                case "--interactive":
                    w.interactive();
                    break;
                default:
                    throw new IllegalArgumentException(args[i]);
            }
        }
        System.out.println("READY");
        System.out.flush();
        if (hold) {
            while (System.in.read() >= 0) {
                // wait for the test to close our stdin
            }
        }
        System.exit(0); // also ends connection threads still open; shutdown hooks (the agent's flush) run
    }

    /** Runs the steps named on each stdin line (comma-separated), answering DONE; ends at EOF. */
    private void interactive() throws Exception {
        java.io.BufferedReader in = new java.io.BufferedReader(new java.io.InputStreamReader(System.in,
                StandardCharsets.UTF_8));
        System.out.println("INTERACTIVE " + ProcessHandle.current().pid());
        String line;
        while ((line = in.readLine()) != null) {
            if (line.trim().equals("jfr-initialized")) {
                // Whether anything initialized Flight Recorder in this JVM (the agent must not, by itself).
                System.out.println("JFR-INITIALIZED " + jdk.jfr.FlightRecorder.isInitialized());
                continue;
            }
            if (line.trim().equals("stats")) {
                long heap = heapAfterGc();
                System.out.println("STATS threads=" + Thread.activeCount() + " classes="
                        + java.lang.management.ManagementFactory.getClassLoadingMXBean().getLoadedClassCount()
                        + " heap=" + heap + " metaspace=" + metaspaceUsed());
                continue;
            }
            for (String name : line.trim().split(",")) {
                runStep(name);
            }
            System.out.println("DONE " + line.trim());
        }
    }

    private void runStep(String name) throws Exception {
        Step step = steps.get(name);
        if (step == null) {
            throw new IllegalArgumentException("no step " + name + "; steps: " + steps.keySet());
        }
        step.run(name);
        System.out.println("STEP " + name);
    }

    private SSLContext bcClient() throws Exception {
        return pki.clientContext(new org.bouncycastle.jsse.provider.BouncyCastleJsseProvider(
                new org.bouncycastle.jce.provider.BouncyCastleProvider()));
    }

    /** JDK servers issue RFC 5077 tickets by default; this context resumes by session ID instead. */
    private SSLContext withoutServerTickets() throws Exception {
        System.setProperty("jdk.tls.server.enableSessionTicketExtension", "false");
        try {
            return pki.serverContext();
        } finally {
            System.clearProperty("jdk.tls.server.enableSessionTicketExtension");
        }
    }

    // ---- SSLSocket

    private static void sockets(String name, SSLContext server, String[] serverProtocols, SSLContext client,
            String[] clientProtocols, int connections) throws Exception {
        SSLServerSocket listener = (SSLServerSocket) server.getServerSocketFactory().createServerSocket(0, 50,
                LOOPBACK);
        listener.setEnabledProtocols(serverProtocols);
        int port = listener.getLocalPort();
        Thread serverThread = thread(name + "/server", () -> {
            for (int i = 0; i < connections; i++) {
                try (SSLSocket s = (SSLSocket) listener.accept()) {
                    s.startHandshake();
                    s.getOutputStream().write(1);
                    s.getOutputStream().flush();
                    s.getInputStream().read();
                    outcome(s.getSession());
                } catch (IOException expectedForFailingSteps) {
                    outcome(expectedForFailingSteps);
                }
            }
        });
        Thread clientThread = thread(name + "/client", () -> {
            for (int i = 0; i < connections; i++) {
                // Layered over a plain socket that outlives a failed handshake: the client then waits for the
                // server to hang up, so the server always reads the client's alert (never a broken pipe).
                try (Socket plain = new Socket("localhost", port)) {
                    try (SSLSocket c = (SSLSocket) client.getSocketFactory().createSocket(plain, "localhost", port,
                            false)) {
                        c.setEnabledProtocols(clientProtocols);
                        c.startHandshake();
                        c.getInputStream().read(); // also takes in the TLS 1.3 session ticket
                        c.getOutputStream().write(2);
                        c.getOutputStream().flush();
                        outcome(c.getSession());
                    } catch (IOException expectedForFailingSteps) {
                        outcome(expectedForFailingSteps);
                        drain(plain);
                    }
                }
            }
        });
        serverThread.join();
        clientThread.join();
        listener.close();
    }

    private static void drain(Socket plain) {
        try (InputStream in = plain.getInputStream()) {
            while (in.read() >= 0) {
                // until the server closes
            }
        } catch (IOException closed) {
            // closed is what we waited for
        }
    }

    private void rehandshake(String name, String[] protocols) throws Exception {
        SSLServerSocket listener = (SSLServerSocket) pki.serverContext().getServerSocketFactory()
                .createServerSocket(0, 50, LOOPBACK);
        listener.setEnabledProtocols(protocols);
        Thread serverThread = thread(name + "/server", () -> {
            try (SSLSocket s = (SSLSocket) listener.accept()) {
                for (int i = 0; i < 2; i++) { // reading takes in the peer's second handshake or KeyUpdate
                    s.getInputStream().read();
                    s.getOutputStream().write(1);
                    s.getOutputStream().flush();
                }
                outcome(s.getSession());
            }
        });
        thread(name + "/client", () -> {
            try (SSLSocket c = (SSLSocket) pki.clientContext().getSocketFactory().createSocket("localhost",
                    listener.getLocalPort())) {
                c.setEnabledProtocols(protocols);
                c.startHandshake();
                c.getOutputStream().write(1);
                c.getOutputStream().flush();
                c.getInputStream().read();
                c.startHandshake(); // again
                c.getOutputStream().write(2);
                c.getOutputStream().flush();
                c.getInputStream().read();
                outcome(c.getSession());
            }
        }).join();
        serverThread.join();
        listener.close();
    }

    /** A client that connects and leaves without a word: the server's handshake fails with peer_closed. */
    private void socketPeerClosed(String name) throws Exception {
        SSLServerSocket listener = (SSLServerSocket) pki.serverContext().getServerSocketFactory()
                .createServerSocket(0, 50, LOOPBACK);
        Thread serverThread = thread(name + "/server", () -> {
            try (SSLSocket s = (SSLSocket) listener.accept()) {
                s.startHandshake();
            } catch (IOException expected) {
                outcome(expected); // Remote host terminated the handshake
            }
        });
        new Socket(LOOPBACK, listener.getLocalPort()).close();
        serverThread.join();
        listener.close();
    }

    // ---- SSLEngine

    private static void engines(String name, SSLContext server, String[] serverProtocols, SSLContext client,
            String[] clientProtocols, int connections) throws Exception {
        Thread t = thread(name + "/engine", () -> {
            for (int i = 0; i < connections; i++) {
                // Same peer host and port every time, so the client's session cache can offer the session.
                EnginePair pair = EnginePair.of(client, "localhost", 4433, server);
                pair.client.setEnabledProtocols(clientProtocols);
                pair.server.setEnabledProtocols(serverProtocols);
                SSLException failed = connect(pair);
                if (failed != null) {
                    outcome(failed);
                }
                outcome(pair.client.getSession());
                outcome(pair.server.getSession());
            }
        });
        t.join();
    }

    /**
     * An engine pair's handshake to its end (a failing side's alert reaches the other side, which then fails too),
     * then application data both ways if it succeeded. Returns the first failure, or null.
     */
    private static SSLException connect(EnginePair pair) throws SSLException {
        SSLException failed = pair.run().firstFailure();
        if (failed == null) {
            pair.send(pair.server, "s");
            pair.send(pair.client, "c");
        }
        return failed;
    }

    /** The client says hello, then the server's transport ends: the server reports peer_closed. */
    private void enginePeerClosed(String name) throws Exception {
        Thread t = thread(name + "/engine", () -> {
            EnginePair pair = EnginePair.of(pki.clientContext(), "localhost", 4433, pki.serverContext());
            pair.flight(pair.client);
            try {
                pair.server.closeInbound();
            } catch (SSLException expected) {
                // closing inbound before receiving peer's close_notify
            }
        });
        t.join();
    }

    // ---- real peers: openssl

    /** A server for openssl s_client: each connection does the handshake, then reads until the peer leaves. */
    private int opensslServer() throws Exception {
        SSLServerSocket listener = (SSLServerSocket) pki.serverContext().getServerSocketFactory()
                .createServerSocket(0, 50, LOOPBACK);
        Thread acceptor = new Thread(() -> {
            while (true) {
                try {
                    SSLSocket s = (SSLSocket) listener.accept();
                    thread("openssl-server/conn", () -> {
                        try (s; InputStream in = s.getInputStream()) {
                            s.startHandshake();
                            while (in.read() >= 0) {
                                // until the peer closes
                            }
                        } catch (IOException ignored) {
                            // peers come and go
                        }
                    });
                } catch (IOException e) {
                    return;
                }
            }
        }, "openssl-server/accept");
        acceptor.setDaemon(true);
        acceptor.start();
        return listener.getLocalPort();
    }

    /**
     * {@code threads} threads doing handshakes for {@code seconds}: even ones through engine pairs (both roles in
     * the thread), odd ones as socket clients of a pool of socket servers; TLS 1.3 and 1.2, new and resumed
     * sessions. Prints {@code SOAK <sides>}: handshake attempts counted per side, which is how many records the
     * agent must write, and {@code HEAP} lines (used heap after a full GC) at the start and the end.
     */
    private void soak(int seconds, int threads) throws Exception {
        SSLContext server = pki.serverContext();
        SSLContext client = pki.clientContext();
        java.util.concurrent.atomic.AtomicLong sides = new java.util.concurrent.atomic.AtomicLong();
        SSLServerSocket listener = (SSLServerSocket) server.getServerSocketFactory().createServerSocket(0, 1024,
                LOOPBACK);
        int port = listener.getLocalPort();
        for (int i = 0; i < 8; i++) {
            Thread acceptor = new Thread(() -> {
                while (true) {
                    try (SSLSocket s = (SSLSocket) listener.accept()) {
                        sides.incrementAndGet();
                        s.startHandshake();
                        s.getOutputStream().write(1);
                        s.getOutputStream().flush();
                        s.getInputStream().read();
                    } catch (IOException e) {
                        if (listener.isClosed()) {
                            return;
                        }
                    }
                }
            }, "soak-server/" + i);
            acceptor.setDaemon(true);
            acceptor.start();
        }
        System.out.println("HEAP " + heapAfterGc());
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(seconds);
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int id = t;
            workers.add(thread("soak/" + t, () -> {
                // At least two rounds per thread however slow the machine: the soak is never empty.
                for (int n = 0; n < 2 || System.nanoTime() < deadline; n++) {
                    String[] protocol = n % 2 == 0 ? TLS13 : TLS12;
                    if (id % 2 == 0) {
                        EnginePair pair = EnginePair.of(client, "localhost", 4000 + id, server);
                        pair.client.setEnabledProtocols(protocol);
                        sides.addAndGet(2);
                        connect(pair);
                    } else {
                        try (SSLSocket c = (SSLSocket) client.getSocketFactory().createSocket("localhost", port)) {
                            c.setEnabledProtocols(protocol);
                            sides.incrementAndGet();
                            c.startHandshake();
                            c.getInputStream().read();
                            c.getOutputStream().write(2);
                            c.getOutputStream().flush();
                        } catch (IOException failed) {
                            // a failed handshake is recorded too; the count above already has it
                        }
                    }
                }
            }));
        }
        for (Thread t : workers) {
            t.join();
        }
        Thread.sleep(500); // the servers finish their last handshakes
        listener.close();
        System.out.println("HEAP " + heapAfterGc());
        System.out.println("SOAK " + sides.get());
    }

    /**
     * {@code count} engine pairs dropped mid-handshake: the client said hello, the server read it, then both are
     * forgotten without a close. Nothing can report them; the agent must not keep them.
     */
    private void abandon(int count) throws Exception {
        SSLContext server = pki.serverContext();
        SSLContext client = pki.clientContext();
        thread("abandon/engine", () -> {
            for (int i = 0; i < count; i++) {
                // The server takes the ClientHello in; its (costly) delegated task is never run.
                EnginePair.of(client, "localhost", 4433, server).abandonAfterClientHello();
            }
        }).join();
        System.out.println("HEAP " + heapAfterGc());
        System.out.println("ABANDONED " + count);
    }

    private static long metaspaceUsed() {
        for (java.lang.management.MemoryPoolMXBean pool : java.lang.management.ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getName().equals("Metaspace")) {
                return pool.getUsage().getUsed();
            }
        }
        return -1;
    }

    private static long heapAfterGc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(50);
        }
        Runtime rt = Runtime.getRuntime();
        return rt.totalMemory() - rt.freeMemory();
    }

    /** {@code count} TLS 1.3 connections, each asking for another server name (h0.flood.test, h1...). */
    private void sniFlood(int port, int count) throws Exception {
        SSLContext ctx = pki.clientContext();
        thread("flood/client", () -> {
            for (int i = 0; i < count; i++) {
                try (SSLSocket c = (SSLSocket) ctx.getSocketFactory().createSocket("127.0.0.1", port)) {
                    javax.net.ssl.SSLParameters p = c.getSSLParameters();
                    p.setServerNames(List.of(new javax.net.ssl.SNIHostName("h" + i + ".flood.test")));
                    p.setEndpointIdentificationAlgorithm(null);
                    c.setSSLParameters(p);
                    c.startHandshake();
                    c.getSession().invalidate(); // no resumption: a resumed handshake would reuse the first name
                } catch (IOException e) {
                    // counted by the server's records
                }
            }
        }).join();
    }

    /** JDK client connections (TLS 1.3, then TLS 1.2) to a server on this host, each sending one byte. */
    private void connect(int port) throws Exception {
        SSLContext ctx = pki.clientContext();
        thread("connect/client", () -> {
            for (String protocol : List.of("TLSv1.3", "TLSv1.2")) {
                try (SSLSocket c = (SSLSocket) ctx.getSocketFactory().createSocket("localhost", port)) {
                    c.setEnabledProtocols(new String[] {protocol});
                    c.startHandshake();
                    c.getOutputStream().write(1);
                    c.getOutputStream().flush();
                }
            }
        }).join();
    }

    /**
     * A client of {@code openssl s_server -www}: for TLS 1.3 and 1.2, one full handshake and one resumption.
     * Each status page that openssl returns is saved as {@code www-<n>-<protocol>.txt}.
     */
    private void opensslClient(int port, Path dir) throws Exception {
        SSLContext ctx = pki.clientContext();
        List<String> protocols = List.of("TLSv1.3", "TLSv1.3", "TLSv1.2", "TLSv1.2");
        List<Thread> done = new ArrayList<>();
        done.add(thread("openssl-client/client", () -> {
            int n = 0;
            for (String protocol : protocols) {
                try (SSLSocket c = (SSLSocket) ctx.getSocketFactory().createSocket("localhost", port)) {
                    c.setEnabledProtocols(new String[] {protocol});
                    OutputStream out = c.getOutputStream();
                    out.write("GET / HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    byte[] page = c.getInputStream().readAllBytes();
                    SSLSession session = c.getSession();
                    Files.write(dir.resolve("www-" + (n++) + "-" + session.getProtocol() + ".txt"), page);
                }
            }
        }));
        for (Thread t : done) {
            t.join();
        }
    }

    /**
     * What the application saw, printed so that a run with the agent can be compared with one without:
     * the agent must change nothing.
     */
    static void outcome(Object sessionOrException) {
        String what;
        if (sessionOrException instanceof SSLSession) {
            SSLSession session = (SSLSession) sessionOrException;
            what = "session " + session.getProtocol() + " " + session.getCipherSuite();
        } else {
            Throwable t = (Throwable) sessionOrException;
            what = t.getClass().getName() + ": " + t.getMessage();
        }
        System.out.println("OUTCOME " + Thread.currentThread().getName() + " " + what);
    }

    interface Body {
        void run() throws Exception;
    }

    private static Thread thread(String name, Body body) {
        Thread t = new Thread(() -> {
            try {
                body.run();
            } catch (Exception e) {
                System.err.println(Thread.currentThread().getName() + ": " + e);
            }
        }, name);
        t.start();
        return t;
    }

}
