package io.tlsagent.demo;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * The client APIs the demo uses. Each makes a new connection (so a new handshake) per call, to {@code localhost}
 * (the name checked against the certificate, sent as SNI, and with the port the key of the client session cache).
 */
enum ClientApi {

    /** A raw {@link SSLSocket}: handshake, the server's byte, ours, close_notify. */
    SSL_SOCKET("SSLSocket") {
        @Override
        Connector connector(SSLContext context, SSLParameters parameters, int port) {
            return () -> socketExchange(context, parameters, port);
        }
    },
    /** {@link HttpsURLConnection} GET (an SSLSocket underneath). */
    URL_CONNECTION("HttpsURLConnection") {
        @Override
        Connector connector(SSLContext context, SSLParameters parameters, int port) {
            SSLSocketFactory factory = new ConfiguredSocketFactory(context.getSocketFactory(), parameters);
            URL url;
            try {
                url = URI.create("https://" + HOST + ":" + port + "/").toURL();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            return () -> urlConnectionExchange(url, factory);
        }
    },
    /** {@code java.net.http.HttpClient} GET over HTTP/1.1 (an SSLEngine underneath). One client per connector. */
    HTTP_CLIENT("HttpClient") {
        @Override
        Connector connector(SSLContext context, SSLParameters parameters, int port) {
            HttpClient client = HttpClient.newBuilder()
                    .sslContext(context)
                    .sslParameters(parameters)
                    .version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofMillis(TIMEOUT_MILLIS))
                    .build();
            HttpRequest request = HttpRequest.newBuilder(URI.create("https://" + HOST + ":" + port + "/"))
                    .timeout(Duration.ofMillis(TIMEOUT_MILLIS))
                    .build();
            return () -> httpClientExchange(client, request);
        }
    };

    static final String HOST = "localhost";
    private static final int TIMEOUT_MILLIS = TlsServer.TIMEOUT_MILLIS;

    private final String label;

    ClientApi(String label) {
        this.label = label;
    }

    String label() {
        return label;
    }

    /** A client of this API for one scenario: its context, parameters and server. */
    abstract Connector connector(SSLContext context, SSLParameters parameters, int port);

    /** Makes one exchange, with a new TLS connection. */
    interface Connector {
        /**
         * @return what was negotiated, e.g. "TLSv1.3 TLS_AES_128_GCM_SHA256"
         * @throws IOException the client's failure (expected for the failing scenarios)
         */
        String exchange() throws IOException, InterruptedException;
    }

    private static String socketExchange(SSLContext context, SSLParameters parameters, int port) throws IOException {
        // Connect to the loopback address the servers listen on, but name the peer "localhost".
        try (Socket tcp = new Socket()) {
            tcp.setTcpNoDelay(true); // small TLS records without Nagle's delay
            tcp.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), TIMEOUT_MILLIS);
            tcp.setSoTimeout(TIMEOUT_MILLIS);
            // autoClose false: a failed handshake leaves the TCP connection to us (see awaitServerClose).
            try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket(tcp, HOST, port, false)) {
                socket.setSSLParameters(parameters);
                socket.startHandshake();
                // The server speaks first: a TLS 1.3 server that rejects us after our Finished (a missing client
                // certificate) says so with an alert we read here, instead of a reset our write would meet.
                InputStream in = socket.getInputStream();
                if (in.read() < 0) {
                    throw new IOException("the server closed without a greeting");
                }
                OutputStream out = socket.getOutputStream();
                out.write('c');
                out.flush();
                // Close: our close_notify, then read until the server's.
                socket.shutdownOutput();
                while (in.read() >= 0) {
                    // nothing else is expected
                }
                SSLSession session = socket.getSession();
                return session.getProtocol() + " " + session.getCipherSuite();
            } catch (IOException failure) {
                awaitServerClose(tcp);
                throw failure;
            }
        }
    }

    /**
     * After a failed handshake, waits until the server has closed before closing too. Closing at once could cut
     * off the server while it still writes its flight: it would then see a broken pipe instead of our alert.
     */
    private static void awaitServerClose(Socket tcp) {
        try {
            InputStream in = tcp.getInputStream();
            byte[] discard = new byte[1024];
            while (in.read(discard) >= 0) {
                // whatever the server still sends before it closes
            }
        } catch (IOException e) {
            // closed or timed out: either way, done
        }
    }

    private static String urlConnectionExchange(URL url, SSLSocketFactory factory) throws IOException {
        HttpsURLConnection connection = (HttpsURLConnection) url.openConnection();
        try {
            connection.setSSLSocketFactory(factory);
            connection.setConnectTimeout(TIMEOUT_MILLIS);
            connection.setReadTimeout(TIMEOUT_MILLIS);
            connection.setUseCaches(false);
            int status = connection.getResponseCode();
            // HttpsURLConnection tells the suite (not the protocol, before JDK 12), and only while connected.
            String suite = connection.getCipherSuite();
            try (InputStream in = connection.getInputStream()) {
                in.readAllBytes();
            }
            if (status != HttpURLConnection.HTTP_OK) {
                throw new IOException("HTTP status " + status);
            }
            return suite;
        } finally {
            connection.disconnect();
        }
    }

    private static String httpClientExchange(HttpClient client, HttpRequest request)
            throws IOException, InterruptedException {
        HttpResponse<byte[]> response = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() != 200) {
            throw new IOException("HTTP status " + response.statusCode());
        }
        return response.sslSession().map(s -> s.getProtocol() + " " + s.getCipherSuite()).orElse("?");
    }
}
