package io.tlsagent.compat.apps;

import java.io.IOException;
import java.util.List;
import java.util.stream.Collectors;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLSession;

/** What every forked program does at the end, and how it tells the test what it saw. */
public final class App {

    private App() {}

    /**
     * What a server saw of a request, as its response body: {@code <server> <http version> <tls protocol>
     * <cipher> sni=<host name, or - for none, or ? when the server cannot tell> }. The client prints it in its {@link #client} line.
     */
    public static String serverView(String server, String http, SSLSession session) {
        String sni = "-";
        if (session instanceof ExtendedSSLSession) {
            List<SNIServerName> names = ((ExtendedSSLSession) session).getRequestedServerNames();
            String hosts = names.stream().filter(n -> n instanceof SNIHostName)
                    .map(n -> ((SNIHostName) n).getAsciiName()).collect(Collectors.joining(","));
            sni = hosts.isEmpty() ? "-" : hosts;
        }
        return serverView(server, http, session.getProtocol(), session.getCipherSuite(), sni);
    }

    /** As above, for a server that tells only the version and suite: {@code sni} is {@code ?} when unknown. */
    public static String serverView(String server, String http, String protocol, String cipher, String sni) {
        return server + " " + http + " " + protocol + " " + cipher + " sni=" + sni;
    }

    /**
     * One line per request the program made: {@code CLIENT <scenario> <tls protocol> <cipher> <http version>
     * <body>}. The test compares these with the agent's records.
     */
    public static void client(String scenario, String tlsProtocol, String cipher, String http, String body) {
        System.out.println("CLIENT " + scenario + " " + tlsProtocol + " " + cipher + " " + http + " "
                + body.trim().replace('\n', ' '));
    }

    public static void say(String key, Object value) {
        System.out.println(key + " " + value);
    }

    /** Prints READY, waits until the test closes stdin, then exits (ending server and pool threads). */
    public static void readyAndHold() throws IOException {
        System.out.println("JAVA " + Runtime.version().feature());
        System.out.println("READY");
        System.out.flush();
        while (System.in.read() >= 0) {
            // until the test closes our stdin
        }
        System.exit(0); // shutdown hooks (the agent's log flush) run
    }
}
