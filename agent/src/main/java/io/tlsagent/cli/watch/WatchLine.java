package io.tlsagent.cli.watch;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Map;

/** One handshake as one terminal line: time, role, peer, SNI, version, cipher, resumed, duration, result. */
final class WatchLine {

    static final String HEADER = String.format(Locale.ROOT, "%-12s %-6s %-21s %-20s %-7s %-38s %-10s %9s  %s",
            "TIME", "ROLE", "PEER", "SNI", "VERSION", "CIPHER", "RESUMED", "DURATION", "RESULT");
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS")
            .withZone(ZoneId.systemDefault());
    private static final String RED = "\u001b[1;31m";
    private static final String RESET = "\u001b[0m";

    private WatchLine() {}

    /** {@code colour}: failures in bold red (only for a terminal). */
    static String format(Map<String, String> r, boolean colour) {
        String timestamp = r.get("@timestamp");
        String line = String.format(Locale.ROOT, "%-12s %-6s %-21s %-20s %-7s %-38s %-10s %9s  %s",
                timestamp != null ? TIME.format(Instant.parse(timestamp)) : "-",
                or(r.get("tls_agent.role")), peer(r), or(r.get("tls.client.server_name")), version(r),
                or(r.get("tls.cipher")), resumed(r), duration(r), result(r));
        boolean failed = "failure".equals(r.get("event.outcome"));
        return failed && colour ? RED + line + RESET : line;
    }

    /** The other side's IP (else the host name the application named) and port; an IPv6 address in brackets. */
    static String peer(Map<String, String> r) {
        String side = "client".equals(r.get("tls_agent.role")) ? "server" : "client";
        String address = r.get(side + ".address");
        if (address == null) {
            address = r.get(side + ".domain");
        } else if (address.indexOf(':') >= 0) {
            address = "[" + address + "]";
        }
        String port = r.get(side + ".port");
        return address == null ? (port == null ? "-" : ":" + port) : port == null ? address : address + ":" + port;
    }

    private static String version(Map<String, String> r) {
        String protocol = r.get("tls.version_protocol");
        String v = r.get("tls.version");
        if (protocol == null || v == null) {
            return "-";
        }
        return (protocol.equals("tls") ? "TLS" : protocol.toUpperCase(Locale.ROOT)) + "v" + v;
    }

    private static String resumed(Map<String, String> r) {
        String kind = r.get("tls_agent.resumption");
        if (kind != null) {
            return kind.equals("none") ? "no" : kind;
        }
        String resumed = r.get("tls.resumed");
        return resumed == null ? "-" : resumed.equals("true") ? "yes" : "no";
    }

    private static String duration(Map<String, String> r) {
        String d = r.get("event.duration");
        return d == null ? "-" : String.format(Locale.ROOT, "%.1f ms", Long.parseLong(d) / 1e6);
    }

    private static String result(Map<String, String> r) {
        if (!"failure".equals(r.get("event.outcome"))) {
            return "ok";
        }
        StringBuilder sb = new StringBuilder("FAILED ").append(or(r.get("error.type")));
        String alert = r.get("tls_agent.alert.name");
        if (alert != null) {
            sb.append(" (alert ").append(alert).append(' ').append(r.get("tls_agent.alert.direction")).append(')');
        }
        String message = r.get("error.message");
        if (message != null) {
            sb.append(": ").append(message.replaceAll("\\p{Cntrl}", " "));
        }
        return sb.toString();
    }

    private static String or(String s) {
        return s == null ? "-" : s.replaceAll("\\p{Cntrl}", "?");
    }
}
