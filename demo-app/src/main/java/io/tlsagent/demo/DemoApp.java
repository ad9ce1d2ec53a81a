package io.tlsagent.demo;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The demo: TLS servers (an HTTPS server, TLS servers on raw sockets) and clients (SSLSocket, HttpsURLConnection,
 * java.net.http.HttpClient) in one JVM, making handshakes with each other over loopback at a steady rate until
 * told to stop: TLS 1.3 and 1.2 (and 1.0/1.1 from a legacy client), several cipher suites, EC and RSA
 * certificates, full and resumed, mutual TLS, and the failures operators meet. Everything it prints goes to
 * stderr, so that stdout carries only the agent's JSON lines.
 */
public final class DemoApp {

    private static final long SUMMARY_EVERY_SECONDS = 10;
    private static final int MAX_UNEXPECTED_PRINTED = 20;

    private final Options options;
    private volatile boolean stopRequested;
    private final AtomicBoolean totalsPrinted = new AtomicBoolean();
    private final Set<Scenario> scenariosPrinted = new HashSet<>();
    private final Tally tally = new Tally();
    private long startNanos;

    private DemoApp(Options options) {
        this.options = options;
    }

    public static void main(String[] args) {
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("demo-app: " + e.getMessage());
            System.err.println(Options.USAGE);
            System.exit(2);
            return;
        }
        if (options == null) {
            System.out.println(Options.USAGE);
            return;
        }
        DemoApp app = new DemoApp(options);
        int status = app.run();
        if (status != 0 && !app.stopRequested) {
            System.exit(status);
        }
    }

    private int run() {
        if (options.legacy) {
            LegacyTls.enable(); // before any SSLContext exists
        }
        DemoPki pki;
        try {
            pki = DemoPki.generate();
        } catch (GeneralSecurityException e) {
            say("cannot generate the certificates: " + e);
            return 1;
        }
        try (Workload workload = new Workload(pki, options)) {
            printIntro(pki, workload);
            Mix mix = new Mix(workload.scenarios(), options.failureShare);
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
                loop(mix);
            } finally {
                summaries.shutdownNow();
            }
        } catch (IOException | GeneralSecurityException e) {
            say("cannot start the servers: " + e);
            return 1;
        }
        printTotals();
        return tally.unexpected() == 0 ? 0 : 1;
    }

    private void loop(Mix mix) {
        long deadline = options.durationSeconds > 0
                ? startNanos + TimeUnit.SECONDS.toNanos(options.durationSeconds) : Long.MAX_VALUE;
        long interval = options.rate > 0 ? TimeUnit.SECONDS.toNanos(1) / options.rate : 0;
        long next = startNanos;
        while (true) {
            if (options.handshakes > 0 && tally.total() >= options.handshakes) {
                say("done: " + options.handshakes + " handshakes made");
                return;
            }
            sleepUntil(Math.min(next, deadline));
            if (stopRequested) {
                say("stopping");
                return;
            }
            if (System.nanoTime() - deadline >= 0) {
                say("done: " + options.durationSeconds + " s passed");
                return;
            }
            handshake(mix.next());
            next = Math.max(next + interval, System.nanoTime() - TimeUnit.SECONDS.toNanos(1));
        }
    }

    /** One client handshake; prints the first of each scenario and anything unexpected. */
    private void handshake(Scenario s) {
        try {
            String negotiated = s.handshake(options.resumeShare);
            if (s.failure != null) {
                unexpected(s, "succeeded but should have failed (" + negotiated + ")");
            } else {
                tally.asExpected(s);
                first(s, "ok, " + negotiated);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopRequested = true;
        } catch (Exception e) {
            if (s.failure != null && s.failure.isCauseOf(e)) {
                tally.asExpected(s);
                first(s, "failed as expected: " + brief(e));
            } else {
                unexpected(s, "failed: " + brief(e));
            }
        }
    }

    private void first(Scenario s, String what) {
        if (scenariosPrinted.add(s)) {
            say(s.name + ": " + what + (scenariosPrinted.size() == 1 ? "  (only the first of each is shown)" : ""));
        }
    }

    private void unexpected(Scenario s, String what) {
        tally.unexpected(s);
        if (tally.unexpected() <= MAX_UNEXPECTED_PRINTED) {
            say("UNEXPECTED: " + s.name + " " + what);
        }
    }

    /** The exception's type and the message of its root cause, e.g. "unable to find valid certification path". */
    private static String brief(Throwable e) {
        Throwable root = e;
        for (int i = 0; root.getCause() != null && root.getCause() != root && i < 20; i++) {
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
        if (startNanos != 0 && totalsPrinted.compareAndSet(false, true)) {
            say("totals after " + elapsedSeconds() + " s: " + tally.summary());
        }
    }

    private void printIntro(DemoPki pki, Workload workload) {
        StringBuilder text = new StringBuilder();
        text.append("tls-agent demo app: TLS servers and clients in this JVM, making handshakes with each other over"
                + " loopback.\n");
        String metrics = AgentProbe.metricsUrl();
        if (AgentProbe.attached()) {
            String log = AgentProbe.log();
            text.append("  agent        attached: ")
                    .append(metrics != null ? "scrape " + metrics : "no /metrics endpoint (port=0)")
                    .append(log.equals("off") ? "; no JSON log (log=off)"
                            : log.equals("stdout") || log.equals("stderr") ? "; one JSON line per handshake and side on "
                                    + log + " (log=file:tls.jsonl puts them in a file)"
                            : "; one JSON line per handshake and side in " + log + " (tail -f " + log + ")")
                    .append('\n');
        } else {
            text.append("  agent        NOT attached, nothing is recorded: java -javaagent:agent/target/tls-agent.jar"
                    + " -jar demo-app/target/demo-app.jar\n");
        }
        text.append("  Prometheus   prometheus --config.file=dashboards/prometheus/prometheus.yml"
                + " (scrapes localhost:9464, loads dashboards/prometheus/alerts.yml)\n");
        text.append("  Grafana      provisioning in dashboards/grafana/provisioning (Prometheus at localhost:9090,"
                + " dashboard \"TLS handshakes\")\n");
        text.append("  workload     ").append(options.limits()).append("; ")
                .append(percent(options.failureShare)).append(" fail on purpose; ")
                .append(percent(options.resumeShare)).append(" of the others offer a session to resume\n");
        text.append("  groups       ").append(Scenario.namedGroupsSupported()
                ? "per client (SSLParameters.setNamedGroups)"
                : "the JVM's default for all (per-client groups need JDK 20+)").append('\n');
        text.append("  certificates generated now, by the CA \"CN=tls-agent demo CA\":\n");
        for (String line : pki.describe()) {
            text.append("               ").append(line).append('\n');
        }
        text.append("  servers\n");
        for (Server server : workload.servers()) {
            text.append("               ").append(server.describe()).append('\n');
        }
        text.append("  clients      (weight: how often, among the succeeding ones; failing ones take turns)\n");
        List<Scenario> scenarios = workload.scenarios();
        for (Scenario s : scenarios) {
            text.append("           ").append(s.failure == null ? String.format("%3d ", s.weight) : "    ")
                    .append(s.name).append('\n');
        }
        text.append("This app writes only to stderr: the first handshake of each client, a summary every ")
                .append(SUMMARY_EVERY_SECONDS).append(" s, the totals at the end.");
        System.err.println(text);
    }

    private static String percent(double share) {
        double p = share * 100;
        return (p == Math.rint(p) ? String.valueOf((long) p) : String.valueOf(p)) + "%";
    }

    private static void say(String line) {
        System.err.println("[demo-app] " + line);
    }
}
