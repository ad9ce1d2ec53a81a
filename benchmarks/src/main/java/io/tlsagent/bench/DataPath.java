package io.tlsagent.bench;

import io.tlsagent.testsupport.EnginePair;
import io.tlsagent.testsupport.RecordPump;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
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
 * Application data after the handshake, where the agent promises a status check only: full TLS 1.3 records (16 KiB
 * offered, as much as SunJSSE puts in one record taken) through {@code wrap} and {@code unwrap} of an engine pair
 * (one operation = one record, sealed and opened), and
 * 1 MiB over an SSLSocket on loopback (one operation = 64 writes of 16 KiB, read by a server thread, which answers
 * with one byte).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class DataPath {

    static final int RECORD = 16 * 1024;
    static final int WRITES = 64;

    private RecordPump records;

    private SSLServerSocket listener;
    private SSLSocket socket;
    private final byte[] chunk = new byte[RECORD];
    private Thread server;

    @Setup
    public void setup() throws Exception {
        Pki pki = Pki.get();
        EnginePair pair = pki.pair("TLSv1.3", false);
        pair.handshake();
        records = new RecordPump(pair);

        listener = (SSLServerSocket) pki.server.getServerSocketFactory().createServerSocket(0, 1,
                InetAddress.getLoopbackAddress());
        server = new Thread(this::serve, "bench-tls-bulk-server");
        server.setDaemon(true);
        server.start();
        socket = (SSLSocket) pki.client.getSocketFactory().createSocket(InetAddress.getLoopbackAddress(),
                listener.getLocalPort());
        socket.setEnabledProtocols(new String[] {"TLSv1.3"});
        socket.setTcpNoDelay(true); // the one-byte answer is not held back by Nagle
        socket.startHandshake();
    }

    private void serve() {
        try (SSLSocket s = (SSLSocket) listener.accept()) {
            s.setTcpNoDelay(true);
            DataInputStream in = new DataInputStream(s.getInputStream());
            OutputStream out = s.getOutputStream();
            byte[] buffer = new byte[RECORD];
            while (true) {
                for (int i = 0; i < WRITES; i++) {
                    in.readFully(buffer);
                }
                out.write(1);
                out.flush();
            }
        } catch (IOException e) {
            // closed at the end of the trial
        }
    }

    @Benchmark
    public int engineRecord16k() throws Exception {
        return records.one();
    }

    @Benchmark
    public int socketBulk1m() throws Exception {
        OutputStream out = socket.getOutputStream();
        for (int i = 0; i < WRITES; i++) {
            out.write(chunk);
        }
        out.flush();
        InputStream in = socket.getInputStream();
        return in.read();
    }

    @TearDown
    public void tearDown() throws Exception {
        SocketHandshakes.closeQuietly(socket);
        SocketHandshakes.closeQuietly(listener);
        server.join(5000);
    }
}
