package io.tlsagent.cli.watch;

import com.sun.tools.attach.VirtualMachine;
import io.tlsagent.cli.attach.TargetJvm;
import io.tlsagent.export.watch.WatchChannel;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code java -jar tls-agent.jar watch <pid> [options]}: asks the agent in {@code pid} for its watch channel (loading
 * a watch-only agent when none runs), then prints each handshake until Ctrl-C or the target's end. When the watch
 * ends, a watch-only agent detaches itself (its last client left); the tool waits for that, bounded, and says so.
 */
public final class WatchTool {

    private static final long RESTORE_WAIT_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final WatchOptions options;
    private final PrintStream out;
    private final PrintStream err;
    private final boolean colour;
    private volatile Socket socket;
    private volatile boolean startedAgent;
    private volatile boolean ended;

    private WatchTool(WatchOptions options, PrintStream out, PrintStream err, boolean colour) {
        this.options = options;
        this.out = out;
        this.err = err;
        this.colour = colour;
    }

    /** Runs until the stream ends; a shutdown hook (Ctrl-C) ends it cleanly. Returns the exit code. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        WatchOptions options;
        try {
            options = WatchOptions.parse(args);
        } catch (IllegalArgumentException e) {
            err.println("tls-agent watch: " + e.getMessage() + "\nusage: java -jar tls-agent.jar watch <pid>"
                    + " [--failures] [--role client|server] [--peer TEXT] [--sni TEXT] [--min-duration MS] [--json]");
            return 2;
        }
        WatchTool tool = new WatchTool(options, out, err, !options.json && Terminal.isTerminal());
        Thread hook = new Thread(tool::end, "tls-agent-watch-end");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            return tool.watch();
        } finally {
            tool.end();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook runs (has run) anyway
            }
        }
    }

    private int watch() {
        String pid = options.pid;
        String secretFile;
        VirtualMachine vm;
        try {
            vm = TargetJvm.connect(pid);
        } catch (TargetJvm.Failure f) {
            err.println("tls-agent: " + f.getMessage());
            return f.exitCode;
        }
        try {
            startedAgent = vm.getSystemProperties().getProperty(TargetJvm.RUNNING_PROPERTY) == null;
            vm.loadAgent(TargetJvm.agentJar(), TargetJvm.WATCH);
            secretFile = vm.getSystemProperties().getProperty(WatchChannel.PROPERTY);
        } catch (Exception e) {
            err.println("tls-agent: asking " + pid + " for its watch channel failed: " + e);
            return 1;
        } finally {
            TargetJvm.detachQuietly(vm);
        }
        if (secretFile == null) {
            err.println("tls-agent: " + pid + " did not open its watch channel (its stderr says why)");
            return 1;
        }
        try {
            String[] portAndSecret = new String(Files.readAllBytes(Paths.get(secretFile)), StandardCharsets.US_ASCII)
                    .trim().split(" ");
            Socket s = new Socket(InetAddress.getLoopbackAddress(), Integer.parseInt(portAndSecret[0]));
            socket = s;
            s.getOutputStream().write((portAndSecret[1] + "\n").getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
            err.println("tls-agent: watching " + pid + (startedAgent ? " (agent loaded for this watch; it detaches"
                    + " when the watch ends)" : "") + "; Ctrl-C to stop");
            if (!options.json) {
                out.println(WatchLine.HEADER);
            }
            out.flush();
            stream(s);
            if (!ended) {
                err.println("tls-agent: the watch channel of " + pid + " closed (the JVM ended or detached)");
            }
            return 0;
        } catch (IOException | RuntimeException e) {
            if (ended) {
                return 0;
            }
            err.println("tls-agent: watching " + pid + " failed: " + e);
            return 1;
        }
    }

    private void stream(Socket s) throws IOException {
        BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null) {
            if (line.isEmpty()) {
                continue; // heartbeat
            }
            Map<String, String> r = FlatJson.parse(line);
            String dropped = r.get("tls_agent_watch.dropped");
            if (dropped != null) {
                err.println("tls-agent: " + dropped + " handshakes not shown so far (this watch could not keep up)");
            } else if (options.matches(r)) {
                out.println(options.json ? line : WatchLine.format(r, colour));
                out.flush();
            }
        }
    }

    /**
     * Ends the watch (once): says goodbye on the channel, and when this watch loaded the agent, waits (bounded)
     * until it has detached itself, so that the JVM is as it was before.
     */
    private synchronized void end() {
        if (ended) {
            return;
        }
        ended = true;
        Socket s = socket;
        if (s == null) {
            return;
        }
        try (OutputStream o = s.getOutputStream()) {
            o.write("bye\n".getBytes(StandardCharsets.US_ASCII));
            o.flush();
        } catch (IOException ignored) {
            // the target already closed it
        }
        try {
            s.close();
        } catch (IOException ignored) {
            // closing
        }
        if (startedAgent) {
            awaitDetached();
        }
    }

    private void awaitDetached() {
        String pid = options.pid;
        long deadline = System.nanoTime() + RESTORE_WAIT_NANOS;
        while (System.nanoTime() < deadline) {
            if (ProcessHandle.of(Long.parseLong(pid)).map(p -> !p.isAlive()).orElse(true)) {
                return;
            }
            String running = runningProperty(pid);
            if (running == null) {
                err.println("tls-agent: watch ended; the agent it loaded detached from " + pid);
                return;
            }
            if (!running.endsWith(TargetJvm.WATCH_ONLY)) {
                return; // someone attached the full agent meanwhile: not ours to judge
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        err.println("tls-agent: the watch-only agent in " + pid + " is still loaded (another watch is connected?);"
                + " it detaches when the last watch ends, or: java -jar tls-agent.jar detach " + pid);
    }

    private static String runningProperty(String pid) {
        try {
            VirtualMachine vm = TargetJvm.connect(pid);
            try {
                return vm.getSystemProperties().getProperty(TargetJvm.RUNNING_PROPERTY);
            } finally {
                TargetJvm.detachQuietly(vm);
            }
        } catch (Exception e) {
            return null;
        }
    }

}
