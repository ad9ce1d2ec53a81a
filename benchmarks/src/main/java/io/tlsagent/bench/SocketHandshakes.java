package io.tlsagent.bench;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * TLS 1.3 handshakes between an SSLSocket client and an SSLServerSocket over loopback: connect, handshake, one byte
 * from the server (so the client also takes the NewSessionTicket in), close. The server runs on its own thread.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class SocketHandshakes {

    /** The server's thread: a handshake thread like the benchmark's own ({@link ThreadCost}). */
    static final String SERVER_THREAD = "bench-tls-server";

    private Pki pki;
    private SSLServerSocket listener;
    private Thread server;

    @Setup
    public void setup() throws Exception {
        pki = Pki.get();
        listener = (SSLServerSocket) pki.server.getServerSocketFactory().createServerSocket(0, 50,
                InetAddress.getLoopbackAddress());
        listener.setEnabledProtocols(new String[] {"TLSv1.3"});
        server = new Thread(this::serve, SERVER_THREAD);
        server.setDaemon(true);
        server.start();
    }

    private void serve() {
        while (!listener.isClosed()) {
            try (SSLSocket s = (SSLSocket) listener.accept()) {
                s.setSoLinger(true, 0); // no TIME_WAIT: hundreds of thousands of connections per run
                s.setTcpNoDelay(true); // no Nagle wait for the delayed ACK of the last flight
                s.startHandshake();
                s.getOutputStream().write(1);
                s.getOutputStream().flush();
                drain(s.getInputStream());
            } catch (IOException e) {
                // the client closed first, or the listener was closed at the end
            }
        }
    }

    private static void drain(InputStream in) throws IOException {
        while (in.read() >= 0) {
            // until the client closes
        }
    }

    @Benchmark
    public int tls13Full() throws Exception {
        try (SSLSocket c = (SSLSocket) pki.client.getSocketFactory().createSocket(
                InetAddress.getLoopbackAddress(), listener.getLocalPort())) {
            c.setSoLinger(true, 0);
            c.setTcpNoDelay(true);
            c.setEnabledProtocols(new String[] {"TLSv1.3"});
            c.startHandshake();
            return c.getInputStream().read();
        }
    }

    @TearDown
    public void tearDown() throws Exception {
        listener.close();
        server.join(5000);
    }

    static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // nothing to do
        }
    }

    static void closeQuietly(ServerSocket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // nothing to do
        }
    }
}
