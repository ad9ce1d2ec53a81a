package io.tlsagent.compat;

import io.tlsagent.testsupport.ForkedJvm;
import java.util.List;
import java.util.stream.Collectors;

/**
 * An {@code HS} line of an engine program ({@code io.tlsagent.compat.apps.HandshakeLines}): one handshake of one
 * side, as that side's library reported it.
 */
public final class HandshakeLine {

    public final String role;
    /** The scenario; {@code -} for a server that cannot tell (then the client line with the same key says). */
    public final String scenario;
    public final String key;
    public final boolean ok;
    public final String protocol;
    public final String cipher;
    /** {@code true}, {@code false}, or {@code ?} where the library cannot tell. */
    public final String reused;
    /** Null for none. */
    public final String alpn;
    /** Null for none. */
    public final String sni;
    public final String failureClass;
    public final String failureMessage;
    public final String line;

    private HandshakeLine(String line) {
        this.line = line;
        String[] f = line.split(" ", 6);
        if (f.length < 5 || !(f[3].equals("ok") || f[3].equals("failed"))) {
            throw new AssertionError("not an HS line: " + line);
        }
        role = f[0];
        scenario = f[1];
        key = f[2];
        ok = f[3].equals("ok");
        if (ok) {
            String[] v = f[4].concat(" ").concat(f.length > 5 ? f[5] : "").trim().split(" ");
            if (v.length != 5) {
                throw new AssertionError("not an HS ok line: " + line);
            }
            protocol = v[0];
            cipher = v[1];
            reused = v[2];
            alpn = v[3].equals("-") ? null : v[3];
            sni = v[4].equals("-") ? null : v[4];
            failureClass = null;
            failureMessage = null;
        } else {
            protocol = null;
            cipher = null;
            reused = null;
            alpn = null;
            sni = null;
            failureClass = f[4];
            failureMessage = f.length > 5 ? f[5] : "";
        }
    }

    public static List<HandshakeLine> of(ForkedJvm jvm) {
        return jvm.values("HS").stream().map(HandshakeLine::new).collect(Collectors.toList());
    }

    public static List<HandshakeLine> of(ForkedJvm jvm, String role) {
        return of(jvm).stream().filter(l -> l.role.equals(role)).collect(Collectors.toList());
    }

    /** {@code TLSv1.3} as the agent's {@code tls.version} says it: {@code 1.3}. */
    public String version() {
        return protocol == null ? null : protocol.replace("TLSv", "");
    }

    @Override
    public String toString() {
        return line;
    }
}
