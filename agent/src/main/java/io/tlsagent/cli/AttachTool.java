package io.tlsagent.cli;

import com.sun.tools.attach.AgentInitializationException;
import com.sun.tools.attach.AgentLoadException;
import com.sun.tools.attach.AttachNotSupportedException;
import com.sun.tools.attach.VirtualMachine;
import com.sun.tools.attach.VirtualMachineDescriptor;
import io.tlsagent.TlsAgent;
import io.tlsagent.cli.report.ReportCommand;
import io.tlsagent.cli.watch.WatchTool;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.util.Arrays;

/**
 * {@code java -jar tls-agent.jar <command> ...}: {@code attach <pid> [key=value,...]} loads the agent into a running
 * JVM, {@code detach <pid>} removes it again, {@code list} lists the JVMs it could be loaded into, {@code watch}
 * streams a JVM's handshakes ({@link WatchTool}), {@code report} reads JSON logs ({@link ReportCommand}). Exit code 0 on success, 1 on a failure (with one line saying
 * why), 2 on a usage error.
 */
public final class AttachTool {

    /** System property that says an agent runs in a JVM (its value: the version). */
    public static final String RUNNING_PROPERTY = TlsAgent.RUNNING_PROPERTY;
    /** Agent argument asking for the watch channel. */
    public static final String WATCH = TlsAgent.WATCH;
    /** Suffix of {@link #RUNNING_PROPERTY}'s value for an agent started by {@code watch} alone. */
    public static final String WATCH_ONLY = TlsAgent.WATCH_ONLY;

    private static final String USAGE = "usage: java -jar tls-agent.jar attach <pid> [key=value,...]\n"
            + "       java -jar tls-agent.jar detach <pid>\n"
            + "       java -jar tls-agent.jar list\n"
            + "       java -jar tls-agent.jar watch <pid> [--failures] [--role client|server] [--peer TEXT]"
            + " [--sni TEXT] [--min-duration MS] [--json]\n"
            + "       java -jar tls-agent.jar report [options] <log.jsonl[.gz]>...   (report --help)";

    private AttachTool() {}

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        switch (args.length == 0 ? "" : args[0]) {
            case "list":
                return args.length == 1 ? list(out) : usage(err);
            case "attach":
                return args.length >= 2 && args.length <= 3 ? load(args, true, out, err) : usage(err);
            case "detach":
                return args.length == 2 ? load(args, false, out, err) : usage(err);
            case "watch":
                return WatchTool.run(Arrays.copyOfRange(args, 1, args.length), out, err);
            case "report":
                return ReportCommand.run(Arrays.copyOfRange(args, 1, args.length), out, err);
            default:
                return usage(err);
        }
    }

    private static int usage(PrintStream err) {
        err.println(USAGE);
        return 2;
    }

    private static int list(PrintStream out) {
        for (VirtualMachineDescriptor vm : VirtualMachine.list()) {
            out.println(vm.id() + " " + vm.displayName());
        }
        return 0;
    }

    private static int load(String[] args, boolean attach, PrintStream out, PrintStream err) {
        String pid = args[1];
        VirtualMachine vm;
        try {
            vm = connect(pid);
        } catch (Failure f) {
            err.println("tls-agent: " + f.getMessage());
            return f.exitCode;
        }
        try {
            String running = vm.getSystemProperties().getProperty(RUNNING_PROPERTY);
            if (attach && running != null) {
                err.println("tls-agent: " + pid + " already runs tls-agent " + running + "; detach it first");
                return 1;
            }
            if (!attach && running == null) {
                err.println("tls-agent: " + pid + " does not run tls-agent");
                return 1;
            }
            vm.loadAgent(agentJar(), attach ? (args.length == 3 ? args[2] : "") : TlsAgent.DETACH);
            out.println("tls-agent: " + (attach ? "attached to " : "detached from ") + pid
                    + (attach ? " (its stderr says where the metrics are)" : ""));
            return 0;
        } catch (AgentLoadException | AgentInitializationException | IOException e) {
            err.println("tls-agent: " + (attach ? "attaching to " : "detaching from ") + pid + " failed: " + e);
            return 1;
        } finally {
            detachQuietly(vm);
        }
    }

    /** Why a JVM cannot be attached to, with the tool's exit code. */
    public static final class Failure extends Exception {
        private static final long serialVersionUID = 1L;
        public final int exitCode;

        Failure(int exitCode, String message) {
            super(message);
            this.exitCode = exitCode;
        }
    }

    /**
     * Attaches to {@code pid}, after checking that it is a JVM that allows it: attaching to anything else would send
     * it SIGQUIT.
     */
    public static VirtualMachine connect(String pid) throws Failure {
        try {
            if (ProcessHandle.of(Long.parseLong(pid)).isEmpty()) {
                throw new Failure(1, "no process with pid " + pid);
            }
        } catch (NumberFormatException e) {
            throw new Failure(2, "'" + pid + "' is not a process id");
        }
        if (VirtualMachine.list().stream().noneMatch(d -> d.id().equals(pid))) {
            throw new Failure(1, pid + (looksLikeJava(pid)
                    ? " is a JVM that does not allow attaching: started with -XX:+DisableAttachMechanism"
                            + " (or -XX:-UsePerfData), or owned by another user"
                    : " is not a JVM"));
        }
        try {
            return VirtualMachine.attach(pid);
        } catch (AttachNotSupportedException | IOException e) {
            throw new Failure(1, "cannot attach to " + pid + ": the JVM refused (started with"
                    + " -XX:+DisableAttachMechanism?): " + e.getMessage());
        }
    }

    /** Closes the attach connection only; the agent stays loaded. */
    public static void detachQuietly(VirtualMachine vm) {
        try {
            vm.detach();
        } catch (IOException ignored) {
            // the attach connection only
        }
    }

    private static boolean looksLikeJava(String pid) {
        return ProcessHandle.of(Long.parseLong(pid)).flatMap(h -> h.info().command())
                .map(c -> new File(c).getName().startsWith("java")).orElse(false);
    }

    public static String agentJar() {
        try {
            return new File(AttachTool.class.getProtectionDomain().getCodeSource().getLocation().toURI()).getPath();
        } catch (Exception e) {
            throw new IllegalStateException("cannot locate tls-agent.jar", e);
        }
    }
}
