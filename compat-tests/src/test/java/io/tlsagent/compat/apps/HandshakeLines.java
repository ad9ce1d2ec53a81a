package io.tlsagent.compat.apps;

import java.util.List;
import java.util.stream.Collectors;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLSession;

/**
 * How the engine programs ({@link NettyOpenSslApp}, {@link ConscryptApp}) tell the test about each handshake they
 * caused, one line per handshake and side, from what the libraries themselves report:
 * <pre>
 * HS &lt;role&gt; &lt;scenario&gt; &lt;key&gt; ok &lt;protocol&gt; &lt;cipher&gt; &lt;reused: true, false or ?&gt; &lt;alpn or -&gt; &lt;sni or -&gt;
 * HS &lt;role&gt; &lt;scenario&gt; &lt;key&gt; failed &lt;exception class&gt; &lt;message&gt;
 * </pre>
 * {@code key} joins the two sides of one connection (the client's local port, or a handshake number). The test
 * parses these with {@code io.tlsagent.compat.HandshakeLine}.
 */
public final class HandshakeLines {

    private HandshakeLines() {}

    public static synchronized void ok(String role, String scenario, Object key, SSLSession session, String reused,
            String alpn) {
        System.out.println("HS " + role + " " + scenario + " " + key + " ok " + session.getProtocol() + " "
                + session.getCipherSuite() + " " + reused + " " + orDash(alpn) + " " + orDash(sni(session)));
        System.out.flush();
    }

    public static synchronized void failed(String role, String scenario, Object key, Throwable failure) {
        String message = String.valueOf(failure.getMessage()).replace('\n', ' ');
        System.out.println("HS " + role + " " + scenario + " " + key + " failed " + failure.getClass().getName() + " "
                + message);
        System.out.flush();
    }

    /** The SNI host name the session carries (what a server received, what a client asked for), or null. */
    public static String sni(SSLSession session) {
        if (!(session instanceof ExtendedSSLSession)) {
            return null;
        }
        try {
            List<String> names = ((ExtendedSSLSession) session).getRequestedServerNames().stream()
                    .filter(n -> n instanceof SNIHostName).map(n -> ((SNIHostName) n).getAsciiName())
                    .collect(Collectors.toList());
            return names.isEmpty() ? null : String.join(",", names);
        } catch (UnsupportedOperationException notTold) {
            return null;
        }
    }

    private static String orDash(String s) {
        return s == null || s.isEmpty() ? "-" : s;
    }
}
