package io.tlsagent.capture;

import io.tlsagent.record.HandshakeRecord;
import java.net.InetAddress;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;

/** What any TLS implementation tells through the public JSSE API, shared by the trackers. */
public final class SessionDetails {

    private SessionDetails() {}

    /** A protocol or suite name, or null for what a session reports before anything was negotiated. */
    public static String negotiated(String name) {
        return name == null || name.isEmpty() || name.equals("NONE") || name.contains("NULL_WITH_NULL") ? null
                : name;
    }

    public static String serverName(Object requested) {
        if (requested instanceof List) {
            for (Object name : (List<?>) requested) {
                if (name instanceof SNIHostName) {
                    return ((SNIHostName) name).getAsciiName();
                }
                if (name instanceof SNIServerName) {
                    return null; // only host_name is defined
                }
            }
        }
        return null;
    }

    /** The real connection's ends: an engine knows only what the application passed to createSSLEngine. */
    public static void addresses(HandshakeRecord.Builder record, Object transport) {
        if (transport instanceof SSLSocket) {
            SSLSocket socket = (SSLSocket) transport;
            InetAddress peer = socket.getInetAddress();
            InetAddress local = socket.getLocalAddress();
            record.peerAddress(peer != null ? peer.getHostAddress() : null)
                    .peerPort(peer != null ? socket.getPort() : -1)
                    .localAddress(local != null && !local.isAnyLocalAddress() ? local.getHostAddress() : null)
                    .localPort(socket.getLocalPort() > 0 ? socket.getLocalPort() : -1);
        } else if (transport instanceof SSLEngine) {
            SSLEngine engine = (SSLEngine) transport;
            record.peerAddress(engine.getPeerHost()).peerPort(engine.getPeerPort() > 0 ? engine.getPeerPort() : -1);
        }
    }

    /**
     * The peer's chain as the session holds it (references to the session's immutable certificates, summarized
     * later on the export thread); empty when there is no session or the peer showed none.
     */
    public static List<X509Certificate> peerCertificates(Object session) {
        if (!(session instanceof SSLSession)) {
            return List.of();
        }
        try {
            return x509(((SSLSession) session).getPeerCertificates());
        } catch (Exception notPresented) {
            return List.of();
        }
    }

    private static List<X509Certificate> x509(Certificate[] chain) {
        if (chain == null || chain.length == 0) {
            return List.of();
        }
        X509Certificate[] out = new X509Certificate[chain.length];
        int n = 0;
        for (Certificate cert : chain) {
            if (cert instanceof X509Certificate) {
                out[n++] = (X509Certificate) cert;
            }
        }
        return List.of(n == out.length ? out : java.util.Arrays.copyOf(out, n));
    }

}
