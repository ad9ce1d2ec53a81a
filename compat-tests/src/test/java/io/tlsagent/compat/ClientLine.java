package io.tlsagent.compat;

import io.tlsagent.testsupport.ForkedJvm;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A {@code CLIENT} line of a forked program ({@code io.tlsagent.compat.apps.App#client}): what the client and the
 * server each saw of one request, from their libraries' public APIs.
 */
public final class ClientLine {

    public final String scenario;
    public final String protocol;
    public final String cipher;
    public final String http;
    public final String server;
    public final String serverHttp;
    public final String serverProtocol;
    public final String serverCipher;
    /** The SNI host name the server saw, or null for none. */
    public final String serverSni;
    /** False when the server cannot tell what SNI it got ({@code sni=?}). */
    public final boolean serverKnowsSni;
    public final String line;

    private ClientLine(String line) {
        this.line = line;
        String[] f = line.split(" ");
        if (f.length < 9 || !f[8].startsWith("sni=")) {
            throw new AssertionError("not a CLIENT line: " + line);
        }
        scenario = f[0];
        protocol = f[1];
        cipher = f[2];
        http = f[3];
        server = f[4];
        serverHttp = f[5];
        serverProtocol = f[6];
        serverCipher = f[7];
        serverKnowsSni = !f[8].equals("sni=?");
        serverSni = f[8].equals("sni=-") || !serverKnowsSni ? null : f[8].substring(4);
    }

    public static List<ClientLine> of(ForkedJvm jvm) {
        return jvm.values("CLIENT").stream().map(ClientLine::new).collect(Collectors.toList());
    }

    public static List<ClientLine> of(ForkedJvm jvm, String scenario) {
        return of(jvm).stream().filter(c -> c.scenario.equals(scenario)).collect(Collectors.toList());
    }

    /** {@code TLSv1.3} as the agent's {@code tls.version} says it: {@code 1.3}. */
    public String version() {
        return protocol.replace("TLSv", "");
    }

    @Override
    public String toString() {
        return line;
    }
}
