package io.tlsagent.demo;

/** The demo's flags. */
final class Options {

    static final String USAGE = String.join("\n",
            "usage: java [-javaagent:agent/target/tls-agent.jar] -jar demo-app/target/demo-app.jar [options]",
            "  --rate PER_SECOND      at most that many client handshakes per second (default 20,",
            "                         0 = as fast as it can)",
            "  --duration SECONDS     stop after that many seconds (default 0 = unlimited)",
            "  --handshakes N         stop after N client handshakes (default 0 = unlimited)",
            "  --resume-share S       share (0 to 1) of succeeding handshakes that offer the previous session of their",
            "                         scenario for resumption (default 0.5)",
            "  --failure-share S      share (0 to 1) of handshakes that fail on purpose (default 0.1): expired",
            "                         certificate, untrusted CA, hostname mismatch, protocol version mismatch, no",
            "                         common cipher suite, mutual TLS without a client certificate",
            "  --no-legacy            no TLS 1.0/1.1 handshakes (by default a legacy client makes about 10% of the",
            "                         succeeding ones, and the JVM's ban on TLS 1.0/1.1 is lifted for it)",
            "  --https-port PORT      the HTTPS server's port on 127.0.0.1 (default 0 = any free port)",
            "  --help                 show this help",
            "Without --handshakes or --duration it runs until Ctrl-C. The agent's metrics port is the agent's own",
            "setting (-javaagent:...tls-agent.jar=port=9464). stdout carries only the agent's JSON lines.");

    long handshakes;
    long durationSeconds;
    int rate = 20;
    double resumeShare = 0.5;
    double failureShare = 0.1;
    boolean legacy = true;
    int httpsPort;

    /** The options for these flags, or null for --help. */
    static Options parse(String[] args) {
        Options o = new Options();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            String value = null;
            int equals = arg.indexOf('=');
            if (arg.startsWith("--") && equals > 0) {
                value = arg.substring(equals + 1);
                arg = arg.substring(0, equals);
            }
            switch (arg) {
                case "--help":
                case "-h":
                    return null;
                case "--no-legacy":
                    if (value != null) {
                        throw new IllegalArgumentException("--no-legacy takes no value");
                    }
                    o.legacy = false;
                    continue;
                default:
                    break;
            }
            if (value == null) {
                if (!arg.startsWith("--") || i + 1 >= args.length) {
                    throw new IllegalArgumentException(arg.startsWith("--") && isKnown(arg)
                            ? arg + " needs a value" : "unknown argument: " + args[i]);
                }
                value = args[++i];
            }
            switch (arg) {
                case "--handshakes":
                    o.handshakes = number(arg, value, Long.MAX_VALUE);
                    break;
                case "--duration":
                    o.durationSeconds = number(arg, value, Long.MAX_VALUE / 1_000_000_000L);
                    break;
                case "--rate":
                    o.rate = (int) number(arg, value, 1_000_000);
                    break;
                case "--https-port":
                    o.httpsPort = (int) number(arg, value, 65535);
                    break;
                case "--resume-share":
                    o.resumeShare = share(arg, value);
                    break;
                case "--failure-share":
                    o.failureShare = share(arg, value);
                    break;
                default:
                    throw new IllegalArgumentException("unknown argument: " + args[i]);
            }
        }
        return o;
    }

    private static boolean isKnown(String flag) {
        switch (flag) {
            case "--handshakes":
            case "--duration":
            case "--rate":
            case "--https-port":
            case "--resume-share":
            case "--failure-share":
                return true;
            default:
                return false;
        }
    }

    private static long number(String flag, String value, long max) {
        try {
            long n = Long.parseLong(value.trim());
            if (n >= 0 && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // said below
        }
        throw new IllegalArgumentException(flag + " needs a whole number from 0 to " + max + ", not \"" + value + "\"");
    }

    private static double share(String flag, String value) {
        try {
            double d = Double.parseDouble(value.trim());
            if (d >= 0 && d <= 1) {
                return d;
            }
        } catch (NumberFormatException e) {
            // said below
        }
        throw new IllegalArgumentException(flag + " needs a number from 0 to 1 (e.g. 0.5), not \"" + value + "\"");
    }

    /** E.g. "at most 20 handshakes/s, no time limit, no handshake limit (Ctrl-C stops it)". */
    String limits() {
        return (rate > 0 ? "at most " + rate + " handshakes/s" : "as fast as it can")
                + ", " + (durationSeconds > 0 ? "for " + durationSeconds + " s" : "no time limit")
                + ", " + (handshakes > 0 ? "up to " + handshakes + " handshakes" : "no handshake limit")
                + (handshakes == 0 && durationSeconds == 0 ? " (Ctrl-C stops it)" : " (or Ctrl-C)");
    }
}
