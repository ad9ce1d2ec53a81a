package io.tlsagent.it;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

/**
 * Sets TLS up the way applications do, and does nothing else until told; the arguments are steps, in order:
 * {@code explicit KEYSTORE TRUSTSTORE} (KeyStore.load, KeyManagerFactory.init, TrustManagerFactory.init,
 * SSLContext.init), {@code no-trust KEYSTORE} (SSLContext.init with no trust managers: the JDK's default trust),
 * {@code default} (SSLContext.getDefault(), from the javax.net.ssl system properties). Then {@code INITIALISED}; each stdin line {@code handshake SERVER_KEYSTORE}
 * makes one handshake over loopback, this JVM both sides, the server presenting that key store's key, the client
 * trusting the explicit trust store. Ends at EOF. Key stores are PKCS12 with the password {@code changeit}.
 */
public final class KeyMaterialProgram {

    private static final char[] PASSWORD = "changeit".toCharArray();

    private KeyMaterialProgram() {}

    public static void main(String[] args) throws Exception {
        KeyStore trust = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "explicit":
                    trust = load(args[i + 2]);
                    SSLContext.getInstance("TLS").init(keyManagers(args[i + 1]).getKeyManagers(),
                            trustManagers(trust).getTrustManagers(), null);
                    i += 2;
                    break;
                case "no-trust":
                    SSLContext.getInstance("TLS").init(keyManagers(args[i + 1]).getKeyManagers(), null, null);
                    i += 1;
                    break;
                case "default":
                    SSLContext.getDefault();
                    break;
                default:
                    throw new IllegalArgumentException(args[i]);
            }
        }
        System.out.println("INITIALISED");
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null) {
            String[] words = line.trim().split(" ");
            if (words[0].equals("handshake")) {
                handshake(words[1], trust);
            }
            System.out.println("DONE " + line.trim());
        }
    }

    private static KeyStore load(String path) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (java.io.InputStream in = java.nio.file.Files.newInputStream(Path.of(path))) {
            ks.load(in, PASSWORD);
        }
        return ks;
    }

    private static KeyManagerFactory keyManagers(String path) throws Exception {
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(load(path), PASSWORD);
        return kmf;
    }

    private static TrustManagerFactory trustManagers(KeyStore trust) throws Exception {
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        return tmf;
    }

    private static void handshake(String serverKeyStore, KeyStore trust) throws Exception {
        SSLContext server = SSLContext.getInstance("TLS");
        server.init(keyManagers(serverKeyStore).getKeyManagers(), trustManagers(trust).getTrustManagers(), null);
        SSLContext client = SSLContext.getInstance("TLS");
        client.init(null, trustManagers(trust).getTrustManagers(), null);
        try (SSLServerSocket listener = (SSLServerSocket) server.getServerSocketFactory()
                .createServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread accepting = new Thread(() -> {
                try (SSLSocket s = (SSLSocket) listener.accept()) {
                    s.startHandshake();
                    s.getInputStream().read();
                } catch (Exception e) {
                    e.printStackTrace();
                }
            });
            accepting.start();
            try (SSLSocket s = (SSLSocket) client.getSocketFactory()
                    .createSocket(InetAddress.getLoopbackAddress(), listener.getLocalPort())) {
                s.startHandshake();
                OutputStream out = s.getOutputStream();
                out.write(1);
                out.flush();
            }
            accepting.join();
        }
    }
}
