package io.tlsagent.cli.watch;

import java.util.Locale;
import java.util.Map;

/** What {@code watch} shows: its command-line options, and the filter they make. */
final class WatchOptions {

    final String pid;
    final boolean failuresOnly;
    final String role;
    final String peer;
    final String sni;
    final double minDurationMillis;
    final boolean json;

    private WatchOptions(String pid, boolean failuresOnly, String role, String peer, String sni,
            double minDurationMillis, boolean json) {
        this.pid = pid;
        this.failuresOnly = failuresOnly;
        this.role = role;
        this.peer = peer;
        this.sni = sni;
        this.minDurationMillis = minDurationMillis;
        this.json = json;
    }

    /** Parses {@code <pid> [options]}; throws with one line saying what is wrong. */
    static WatchOptions parse(String[] args) {
        if (args.length == 0 || args[0].startsWith("-")) {
            throw new IllegalArgumentException("watch needs a pid");
        }
        boolean failures = false;
        boolean json = false;
        String role = null;
        String peer = null;
        String sni = null;
        double minDuration = 0;
        for (int i = 1; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--failures":
                    failures = true;
                    break;
                case "--json":
                    json = true;
                    break;
                case "--role":
                    role = value(args, ++i, a);
                    if (!role.equals("client") && !role.equals("server")) {
                        throw new IllegalArgumentException("--role takes client or server, not '" + role + "'");
                    }
                    break;
                case "--peer":
                    peer = value(args, ++i, a);
                    break;
                case "--sni":
                    sni = value(args, ++i, a).toLowerCase(Locale.ROOT);
                    break;
                case "--min-duration":
                    String ms = value(args, ++i, a);
                    try {
                        minDuration = Double.parseDouble(ms);
                    } catch (NumberFormatException e) {
                        minDuration = -1;
                    }
                    if (!(minDuration >= 0)) {
                        throw new IllegalArgumentException("--min-duration takes milliseconds, not '" + ms + "'");
                    }
                    break;
                default:
                    throw new IllegalArgumentException("unknown option '" + a + "'");
            }
        }
        return new WatchOptions(args[0], failures, role, peer, sni, minDuration, json);
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[i];
    }

    /** Whether a handshake (the JSON log's fields by dotted path) passes the filters. */
    boolean matches(Map<String, String> r) {
        if (failuresOnly && !"failure".equals(r.get("event.outcome"))) {
            return false;
        }
        if (role != null && !role.equals(r.get("tls_agent.role"))) {
            return false;
        }
        if (peer != null && !WatchLine.peer(r).contains(peer)) {
            return false;
        }
        if (sni != null) {
            String name = r.get("tls.client.server_name");
            if (name == null || !name.toLowerCase(Locale.ROOT).contains(sni)) {
                return false;
            }
        }
        if (minDurationMillis > 0) {
            String d = r.get("event.duration");
            return d != null && Long.parseLong(d) / 1e6 >= minDurationMillis;
        }
        return true;
    }
}
