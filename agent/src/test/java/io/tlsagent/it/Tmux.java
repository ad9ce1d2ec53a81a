package io.tlsagent.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A command in a detached tmux session on a server of its own: what a person sees in a terminal (read with
 * {@code capture-pane}), and the keys they press ({@code send-keys}). The pane stays after the command exits.
 */
final class Tmux implements AutoCloseable {

    private final String socket = "tlsagent-it-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
    private final String session = "watch";

    static boolean available() {
        try {
            return new ProcessBuilder("tmux", "-V").redirectErrorStream(true).start().waitFor() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    /** Starts {@code command} (a shell command line) in a 220x50 terminal. */
    Tmux(String command) throws IOException, InterruptedException {
        tmux("new-session", "-d", "-s", session, "-x", "220", "-y", "50", command, ";",
                "set-option", "-t", session, "remain-on-exit", "on");
    }

    /** The screen's text; {@code escapes}: with the colour sequences. Wrapped lines are joined. */
    String screen(boolean escapes) throws IOException, InterruptedException {
        return escapes ? tmux("capture-pane", "-p", "-J", "-e", "-t", session)
                : tmux("capture-pane", "-p", "-J", "-t", session);
    }

    /** Polls the screen until {@code done} holds (bounded); returns that screen. */
    String await(Predicate<String> done, String what) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        String screen = screen(false);
        while (System.nanoTime() < deadline) {
            screen = screen(false);
            if (done.test(screen)) {
                return screen;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the terminal never showed " + what + "; it shows:\n" + screen);
    }

    void sendKeys(String... keys) throws IOException, InterruptedException {
        List<String> args = new ArrayList<>(List.of("send-keys", "-t", session));
        args.addAll(List.of(keys));
        tmux(args.toArray(new String[0]));
    }

    /** Whether the command ended, and its exit status ("1 130"), from tmux's pane_dead and pane_dead_status. */
    String paneDead() throws IOException, InterruptedException {
        return tmux("display-message", "-p", "-t", session, "#{pane_dead} #{pane_dead_status}").trim();
    }

    /** {@link #paneDead()} for use in a predicate. */
    String paneDeadQuietly() {
        try {
            return paneDead();
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    private String tmux(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("tmux", "-L", socket, "-f", "/dev/null"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("tmux " + args[0] + ": " + out).isZero();
        return out;
    }

    @Override
    public void close() throws IOException, InterruptedException {
        new ProcessBuilder("tmux", "-L", socket, "kill-server").redirectErrorStream(true).start()
                .waitFor(30, TimeUnit.SECONDS);
    }
}
