package io.tlsagent.compat;

import static org.assertj.core.api.Assertions.assertThat;

import io.tlsagent.testsupport.ForkedJvm;
import io.tlsagent.testsupport.Scrape;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/** What every scrape of an application's own registry with the agent's meters must show (metrics=app|both). */
public final class AppScrapes {

    private AppScrapes() {}

    /**
     * Scrapes until the histogram has counted {@code handshakes} (it is recorded on the agent's export thread, a
     * moment after the exact count), at most 20 s; returns that scrape.
     */
    public static Scrape awaitHistogram(Callable<String> scrape, int handshakes) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        Scrape s = new Scrape(scrape.call());
        while (s.sum("tls_handshake_duration_seconds_count") < handshakes && System.nanoTime() < deadline) {
            Thread.sleep(200);
            s = new Scrape(scrape.call());
        }
        return s;
    }

    /** The text of the tls_* families only (HELP, TYPE and samples), for promtool. */
    public static String tlsFamilies(String text) {
        List<String> lines = new ArrayList<>();
        for (String line : text.split("\n")) {
            String name = line.startsWith("# HELP ") || line.startsWith("# TYPE ") ? line.substring(7) : line;
            if (name.startsWith("tls_")) {
                lines.add(line);
            }
        }
        return String.join("\n", lines) + "\n";
    }

    /** Every tls_* sample carries the application's common tag. */
    public static void everyTlsSampleHas(Scrape scrape, String label, String value) {
        List<Scrape.Sample> tls = scrape.samples.stream().filter(s -> s.name.startsWith("tls_"))
                .collect(Collectors.toList());
        assertThat(tls).as(scrape.text).isNotEmpty().allSatisfy(s -> assertThat(s.labels).containsEntry(label, value));
    }

    /** The agent's lines on stderr. */
    public static List<String> agentLines(ForkedJvm jvm) {
        return jvm.stderr().stream().filter(l -> l.startsWith("[tls-agent]")).collect(Collectors.toList());
    }

    /** Waits until a stdout line contains {@code text} (a framework's log line), 120 s at the most. */
    public static void awaitStdoutContaining(ForkedJvm jvm, String text) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline && jvm.isAlive()) {
            if (jvm.stdout().stream().anyMatch(l -> l.contains(text))) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no '" + text + "' from " + jvm.command + "\nstdout: " + String.join("\n",
                jvm.stdout()) + "\nstderr: " + String.join("\n", jvm.stderr()));
    }

    /** The TCP ports the program listens on (from {@code ss}, the outside view). */
    public static Set<Integer> listeningPorts(ForkedJvm jvm) throws IOException, InterruptedException {
        Process ss = new ProcessBuilder("ss", "-Hltnp").redirectErrorStream(true).start();
        String out = new String(ss.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        ss.waitFor(10, TimeUnit.SECONDS);
        Set<Integer> ports = new TreeSet<>();
        for (String line : out.split("\n")) {
            if (line.contains("pid=" + jvm.pid() + ",")) {
                String local = line.trim().split("\\s+")[3];
                ports.add(Integer.parseInt(local.substring(local.lastIndexOf(':') + 1)));
            }
        }
        return ports;
    }

    /** Stops the program as a service manager does (SIGTERM: its shutdown hooks run), 60 s at the most. */
    public static void terminate(ForkedJvm jvm) throws Exception {
        ProcessHandle process = ProcessHandle.of(jvm.pid()).orElseThrow();
        process.destroy();
        process.onExit().get(60, TimeUnit.SECONDS);
        Thread.sleep(200); // its last lines reach the readers
    }
}
