package io.tlsagent.capture;

import io.tlsagent.record.HandshakeRecord;
import java.net.InetAddress;
import java.security.cert.Certificate;
import java.time.Instant;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.regex.Pattern;
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

    /**
     * The connection's real ends. A socket knows them; an engine does not, so they come from the library that
     * paired it with its connection ({@link ConnectionBindings}), else from the host and port the application passed
     * to {@code createSSLEngine}: an IP there counts as the peer's IP, a name only as its domain. A client's record
     * also names the host the application asked for ({@code socketPeerHost} for a socket, the engine's peer host); a
     * server's never does, since any name it has for its client came from a reverse lookup. Nothing is looked up.
     */
    static void addresses(HandshakeRecord.Builder record, Object transport, boolean client, String socketPeerHost,
            ConnectionBindings bindings) {
        String named;
        if (transport instanceof SSLSocket) {
            SSLSocket socket = (SSLSocket) transport;
            InetAddress peer = socket.getInetAddress();
            InetAddress local = socket.getLocalAddress();
            record.peerAddress(peer != null ? peer.getHostAddress() : null)
                    .peerPort(peer != null ? socket.getPort() : -1)
                    .localAddress(local != null && !local.isAnyLocalAddress() ? local.getHostAddress() : null)
                    .localPort(socket.getLocalPort() > 0 ? socket.getLocalPort() : -1);
            named = socketPeerHost;
        } else if (transport instanceof SSLEngine) {
            SSLEngine engine = (SSLEngine) transport;
            named = engine.getPeerHost();
            ConnectionEnds ends = bindings.take(engine);
            if (ends != null) {
                record.peerAddress(ends.peerIp).peerPort(ends.peerPort)
                        .localAddress(ends.localIp).localPort(ends.localPort);
            } else {
                record.peerAddress(isIpLiteral(named) ? named : null)
                        .peerPort(engine.getPeerPort() > 0 ? engine.getPeerPort() : -1);
            }
        } else {
            return;
        }
        if (client && named != null && !named.isEmpty() && !isIpLiteral(named)) {
            record.peerDomain(named);
        }
    }

    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern IPV6 = Pattern.compile("\\[?[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*(%[^\\]]+)?\\]?");

    /** Whether a host string is an IPv4 or IPv6 literal (decided by its characters alone: no lookup). */
    static boolean isIpLiteral(String host) {
        return host != null && (IPV4.matcher(host).matches() || IPV6.matcher(host).matches());
    }

    /**
     * The wall-clock time of the moment {@code nanoTime} (a hook's {@link System#nanoTime()}): building a record
     * takes a moment (the first one in a JVM loads classes), and its timestamp is when the handshake ended.
     */
    static Instant endedAt(long nanoTime) {
        return Instant.now().minusNanos(Math.max(0, System.nanoTime() - nanoTime));
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
