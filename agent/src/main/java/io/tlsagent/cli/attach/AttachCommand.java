package io.tlsagent.cli.attach;

import com.sun.tools.attach.AgentInitializationException;
import com.sun.tools.attach.AgentLoadException;
import com.sun.tools.attach.VirtualMachine;
import com.sun.tools.attach.VirtualMachineDescriptor;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code attach <pid> [key=value,...]} loads the agent into a running JVM and shows what the agent said there as it
 * started (where the metrics are, or why it could not start); {@code detach <pid>} removes it again; {@code list}
 * lists the JVMs it could be loaded into. Exit codes: 0 the agent runs (what is degraded is said), 1 it is off or
 * could not start (or the JVM cannot be attached to), 2 a usage error.
 */
public final class AttachCommand {

    /** How long {@code list} waits for each JVM to answer (they are asked all at once). */
    static final long LIST_WAIT_MILLIS = 2000;

    private AttachCommand() {}

    /**
     * The JVMs this user can attach to, without this tool's own: each with whether it runs the agent (and where its
     * metrics are), asked of all of them at once; a JVM that does not answer within {@link #LIST_WAIT_MILLIS} is
     * listed as such, never waited for longer.
     */
    public static int list(PrintStream out) {
        String self = Long.toString(ProcessHandle.current().pid());
        List<VirtualMachineDescriptor> vms = new ArrayList<>();
        List<CompletableFuture<String>> answers = new ArrayList<>();
        for (VirtualMachineDescriptor vm : VirtualMachine.list()) {
            if (!vm.id().equals(self)) {
                vms.add(vm);
                answers.add(ask(vm));
            }
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(LIST_WAIT_MILLIS);
        for (int i = 0; i < vms.size(); i++) {
            VirtualMachineDescriptor vm = vms.get(i);
            String agent;
            try {
                agent = answers.get(i).get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                agent = "(did not answer within " + LIST_WAIT_MILLIS / 1000 + " s: cannot tell whether it runs"
                        + " tls-agent)";
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                agent = "";
            } catch (ExecutionException e) {
                agent = "(cannot tell whether it runs tls-agent: " + e.getCause().getMessage() + ")";
            }
            out.println(vm.id() + " " + vm.displayName() + (agent.isEmpty() ? "" : "  " + agent));
        }
        return 0;
    }

    /** Whether the JVM runs the agent, on a daemon thread of its own (an attach to a stopped JVM never returns). */
    private static CompletableFuture<String> ask(VirtualMachineDescriptor descriptor) {
        CompletableFuture<String> answer = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                VirtualMachine vm = VirtualMachine.attach(descriptor);
                try {
                    answer.complete(runs(vm.getSystemProperties()));
                } finally {
                    TargetJvm.detachQuietly(vm);
                }
            } catch (Throwable e) {
                answer.completeExceptionally(e);
            }
        }, "list-" + descriptor.id());
        t.setDaemon(true);
        t.start();
        return answer;
    }

    private static String runs(Properties p) {
        String running = p.getProperty(TargetJvm.RUNNING_PROPERTY);
        if (running == null) {
            return "";
        }
        String metrics = p.getProperty(TargetJvm.METRICS_PROPERTY);
        return "[runs tls-agent " + running + (metrics != null ? ", metrics on " + metrics : ", no metrics endpoint")
                + "]";
    }

    public static int load(String[] args, boolean attach, PrintStream out, PrintStream err) {
        String pid = args[1];
        VirtualMachine vm;
        try {
            vm = TargetJvm.connect(pid);
        } catch (TargetJvm.Failure f) {
            err.println("tls-agent: " + f.getMessage());
            return f.exitCode;
        }
        try {
            String running = vm.getSystemProperties().getProperty(TargetJvm.RUNNING_PROPERTY);
            if (attach && running != null) {
                err.println("tls-agent: " + pid + " already runs tls-agent " + running + "; detach it first");
                return 1;
            }
            if (!attach && running == null) {
                err.println("tls-agent: " + pid + " does not run tls-agent");
                return 1;
            }
            vm.loadAgent(TargetJvm.agentJar(), attach ? (args.length == 3 ? args[2] : "") : TargetJvm.DETACH);
            if (!attach) {
                out.println("tls-agent: detached from " + pid);
                return 0;
            }
            return outcome(pid, vm.getSystemProperties(), out, err);
        } catch (AgentLoadException | AgentInitializationException | IOException e) {
            err.println("tls-agent: " + (attach ? "attaching to " : "detaching from ") + pid + " failed: " + e);
            return 1;
        } finally {
            TargetJvm.detachQuietly(vm);
        }
    }

    /** What the agent said in the target as it started, and whether it runs now (exit code 0) or not (1). */
    private static int outcome(String pid, Properties target, PrintStream out, PrintStream err) {
        String said = target.getProperty(TargetJvm.ATTACH_OUTCOME_PROPERTY, "");
        boolean runs = target.getProperty(TargetJvm.RUNNING_PROPERTY) != null;
        PrintStream to = runs ? out : err;
        to.println("tls-agent: " + (runs ? "attached to " + pid + "; it says:" : "the agent did not start in " + pid
                + (said.isEmpty() ? " (it said nothing)" : "; it says:")));
        if (!said.isEmpty()) {
            for (String line : said.split("\n")) {
                to.println("  " + line);
            }
        }
        return runs ? 0 : 1;
    }
}
