package io.tlsagent.demo;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.SSLSession;

/**
 * The demo: reads the flags, then makes client handshakes in a loop, round after round of the same cases, until
 * told to stop. Everything it prints goes to stderr, so that stdout carries only the agent's JSON lines.
 */
public final class DemoApp {

    private static final String USAGE = String.join("\n",
            "usage: java [-javaagent:agent/target/tls-agent.jar] -jar demo-app/target/demo-app.jar [options]",
            "  --handshakes N        stop after about N client handshakes (default 0 = unlimited)",
            "  --duration SECONDS    stop after that many seconds (default 0 = unlimited)",
            "  --rate PER_SECOND     at most that many client handshakes per second (default 20, 0 = no limit)",
            "  --help                show this help",
            "Without --handshakes or --duration it runs until Ctrl-C.");
    private static final String[] PROTOCOLS = {"TLSv1.2", "TLSv1.3"};
    private static final long SUMMARY_EVERY_SECONDS = 10;
    private static final int MAX_UNEXPECTED_PRINTED = 20;

    private final long maxHandshakes;
    private final long durationSeconds;
    private final int rate;

    private volatile boolean stopRequested;
    private final AtomicBoolean totalsPrinted = new AtomicBoolean();
    private final Set<String> casesPrinted = new HashSet<>();
    private Tally tally;
    private long startNanos;

    private DemoApp(long maxHandshakes, long durationSeconds, int rate) {
        this.maxHandshakes = maxHandshakes;
        this.durationSeconds = durationSeconds;
        this.rate = rate;
    }

    public static void main(String[] args) {
        DemoApp app;
        try {
            app = parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("demo-app: " + e.getMessage());
            System.err.println(USAGE);
            System.exit(2);
            return;
        }
        if (app == null) {
            System.out.println(USAGE);
            return;
        }
        int status = app.run();
        if (status != 0 && !app.stopRequested) {
            System.exit(status);
        }
    }

    /** The app for these flags, or null for --help. */
    static DemoApp parse(String[] args) {
        long handshakes = 0;
        long duration = 0;
        long rate = 20;
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
                case "--handshakes":
                case "--duration":
                case "--rate":
                    if (value == null) {
                        if (i + 1 >= args.length) {
                            throw new IllegalArgumentException(arg + " needs a value");
                        }
                        value = args[++i];
                    }
                    long n = number(arg, value);
                    if (arg.equals("--handshakes")) {
                        handshakes = n;
                    } else if (arg.equals("--duration")) {
                        duration = n;
                    } else {
                        rate = Math.min(n, 1_000_000);
                    }
                    break;
                default:
                    throw new IllegalArgumentException("unknown argument: " + args[i]);
            }
        }
        return new DemoApp(handshakes, duration, (int) rate);
    }

    private static long number(String flag, String value) {
        try {
            long n = Long.parseLong(value.trim());
            if (n >= 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // said below
        }
        throw new IllegalArgumentException(flag + " needs a whole number >= 0, not \"" + value + "\"");
    }

    private int run() {
        printIntro();
        DemoPki pki;
        try {
            pki = DemoPki.generate();
        } catch (GeneralSecurityException e) {
            say("cannot generate the certificates: " + e);
            return 1;
        }
        say("generated " + pki.describe());

        try (SocketWorkload sockets = new SocketWorkload(pki); EngineWorkload engines = new EngineWorkload(pki)) {
            List<HandshakeCase> round = round(sockets, engines);
            tally = new Tally(Arrays.asList(sockets.api(), engines.api()));
            startNanos = System.nanoTime();

            Thread mainThread = Thread.currentThread();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                stopRequested = true;
                try {
                    mainThread.join(5_000); // the loop ends after its current handshake and prints the totals
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                printTotals();
            }, "demo-app-shutdown"));

            ScheduledExecutorService summaries = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "demo-app-summary");
                t.setDaemon(true);
                return t;
            });
            summaries.scheduleAtFixedRate(() -> say("after " + elapsedSeconds() + " s: " + tally.summary()),
                    SUMMARY_EVERY_SECONDS, SUMMARY_EVERY_SECONDS, TimeUnit.SECONDS);
            try {
                loop(round);
            } finally {
                summaries.shutdownNow();
            }
        } catch (IOException | GeneralSecurityException e) {
            say("cannot start the server side: " + e);
            return 1;
        }
        printTotals();
        return tally.unexpected() == 0 ? 0 : 1;
    }

    /**
     * One round: per API and protocol a full handshake, a resumption of it and one with an untrusted
     * certificate, then a version mismatch.
     */
    private static List<HandshakeCase> round(Workload... workloads) {
        List<HandshakeCase> round = new ArrayList<>();
        for (Workload workload : workloads) {
            for (String protocol : PROTOCOLS) {
                round.add(new HandshakeCase(workload, HandshakeCase.Kind.FULL, protocol));
                round.add(new HandshakeCase(workload, HandshakeCase.Kind.RESUMED, protocol));
                round.add(new HandshakeCase(workload, HandshakeCase.Kind.UNTRUSTED, protocol));
            }
            round.add(new HandshakeCase(workload, HandshakeCase.Kind.VERSION_MISMATCH, "TLSv1.2"));
        }
        return round;
    }

    private void loop(List<HandshakeCase> round) {
        long deadline = durationSeconds > 0 ? startNanos + TimeUnit.SECONDS.toNanos(durationSeconds) : Long.MAX_VALUE;
        long interval = rate > 0 ? TimeUnit.SECONDS.toNanos(1) / rate : 0;
        long next = startNanos;
        for (int i = 0; ; i++) {
            if (maxHandshakes > 0 && tally.total() >= maxHandshakes) {
                say("done: " + maxHandshakes + " handshakes made");
                return;
            }
            sleepUntil(Math.min(next, deadline));
            if (stopRequested) {
                say("stopping (Ctrl-C)");
                return;
            }
            if (System.nanoTime() - deadline >= 0) {
                say("done: " + durationSeconds + " s passed");
                return;
            }
            handshake(round.get(i % round.size()));
            next = Math.max(next + interval, System.nanoTime());
        }
    }

    /** One client handshake; prints the first of each case and anything unexpected. */
    private void handshake(HandshakeCase c) {
        try {
            SSLSession session = c.workload.handshake(c.kind, c.protocol);
            if (c.kind.failsOnPurpose) {
                unexpected(c, "succeeded but should have failed (" + session.getProtocol() + ")");
            } else {
                tally.asExpected(c);
                first(c, "ok, " + session.getProtocol() + " " + session.getCipherSuite());
            }
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            if (c.kind.isExpected(e)) {
                tally.asExpected(c);
                first(c, "failed as expected: " + brief(e));
            } else {
                unexpected(c, "failed: " + brief(e));
            }
        }
    }

    private void first(HandshakeCase c, String what) {
        if (casesPrinted.add(c.label())) {
            say(c.label() + ": " + what + (casesPrinted.size() == 1 ? "  (only the first of each case is shown)" : ""));
        }
    }

    private void unexpected(HandshakeCase c, String what) {
        tally.unexpected(c);
        if (tally.unexpected() <= MAX_UNEXPECTED_PRINTED) {
            say("UNEXPECTED: " + c.label() + " " + what);
        }
    }

    /** The exception's type and the message of its root cause, e.g. "unable to find valid certification path". */
    private static String brief(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = e.getClass().getSimpleName() + ": " + root.getMessage();
        return message.length() <= 160 ? message : message.substring(0, 157) + "...";
    }

    private void sleepUntil(long nanoTime) {
        for (long left = nanoTime - System.nanoTime(); left > 0 && !stopRequested; left = nanoTime - System.nanoTime()) {
            try {
                TimeUnit.NANOSECONDS.sleep(Math.min(left, TimeUnit.MILLISECONDS.toNanos(100)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                stopRequested = true;
            }
        }
    }

    private long elapsedSeconds() {
        return TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - startNanos);
    }

    private void printTotals() {
        if (tally != null && totalsPrinted.compareAndSet(false, true)) {
            say("totals after " + elapsedSeconds() + " s: " + tally.summary());
        }
    }

    private void printIntro() {
        String limits = (maxHandshakes > 0 ? "up to " + maxHandshakes + " handshakes" : "no handshake limit")
                + ", " + (durationSeconds > 0 ? "up to " + durationSeconds + " s" : "no time limit")
                + ", " + (rate > 0 ? "at most " + rate + " handshakes/s" : "no rate limit")
                + (maxHandshakes == 0 && durationSeconds == 0 ? "; Ctrl-C stops it" : "");
        System.err.println(String.join("\n",
                "tls-agent demo app: makes TLS handshakes with itself, client and server in this JVM, over and over:",
                "TLS 1.2 and TLS 1.3, full and resumed, through SSLSocket and SSLEngine, plus two that fail on purpose",
                "(a protocol version mismatch and an untrusted certificate). Its certificates are generated at start.",
                "Started with -javaagent:agent/target/tls-agent.jar, the agent records every handshake: metrics at",
                "http://localhost:9464/metrics and one JSON line per handshake on stdout. This app itself writes only",
                "to stderr: a summary every " + SUMMARY_EVERY_SECONDS + " s and the totals at the end.",
                "(" + limits + ")"));
    }

    private static void say(String line) {
        System.err.println("[demo-app] " + line);
    }
}
