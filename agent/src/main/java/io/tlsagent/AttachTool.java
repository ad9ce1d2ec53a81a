package io.tlsagent;

import com.sun.tools.attach.AgentInitializationException;
import com.sun.tools.attach.AgentLoadException;
import com.sun.tools.attach.AttachNotSupportedException;
import com.sun.tools.attach.VirtualMachine;
import com.sun.tools.attach.VirtualMachineDescriptor;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.util.Arrays;

/**
 * {@code java -jar tls-agent.jar attach <pid> [key=value,...] | detach <pid> | list}: loads the agent into a
 * running JVM, removes it again, or lists the JVMs it could be loaded into; {@code report} reads JSON logs
 * ({@link io.tlsagent.report.ReportCommand}). Exit code 0 on success, 1 on a
 * failure (with one line saying why), 2 on a usage error.
 */
public final class AttachTool {

    private AttachTool() {}

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length >= 1 && args[0].equals("report")) {
            return io.tlsagent.report.ReportCommand.run(Arrays.copyOfRange(args, 1, args.length), out, err);
        }
        if (args.length == 1 && args[0].equals("list")) {
            for (VirtualMachineDescriptor vm : VirtualMachine.list()) {
                out.println(vm.id() + " " + vm.displayName());
            }
            return 0;
        }
        boolean attach = args.length >= 2 && args.length <= 3 && args[0].equals("attach");
        boolean detach = args.length == 2 && args[0].equals("detach");
        if (!attach && !detach) {
            err.println("usage: java -jar tls-agent.jar attach <pid> [key=value,...]\n"
                    + "       java -jar tls-agent.jar detach <pid>\n"
                    + "       java -jar tls-agent.jar list\n"
                    + "       java -jar tls-agent.jar report [options] <log.jsonl[.gz]>...   (report --help)");
            return 2;
        }
        String pid = args[1];
        try {
            long id = Long.parseLong(pid);
            if (ProcessHandle.of(id).isEmpty()) {
                err.println("tls-agent: no process with pid " + pid);
                return 1;
            }
        } catch (NumberFormatException e) {
            err.println("tls-agent: '" + pid + "' is not a process id");
            return 2;
        }
        // Only JVMs that announce themselves are tried: attaching to anything else would send it SIGQUIT.
        if (VirtualMachine.list().stream().noneMatch(d -> d.id().equals(pid))) {
            err.println("tls-agent: " + pid + (looksLikeJava(pid)
                    ? " is a JVM that does not allow attaching: started with -XX:+DisableAttachMechanism"
                            + " (or -XX:-UsePerfData), or owned by another user"
                    : " is not a JVM"));
            return 1;
        }
        VirtualMachine vm;
        try {
            vm = VirtualMachine.attach(pid);
        } catch (AttachNotSupportedException | IOException e) {
            err.println("tls-agent: cannot attach to " + pid + ": the JVM refused (started with"
                    + " -XX:+DisableAttachMechanism?): " + e.getMessage());
            return 1;
        }
        try {
            String running = vm.getSystemProperties().getProperty(TlsAgent.RUNNING_PROPERTY);
            if (attach && running != null) {
                err.println("tls-agent: " + pid + " already runs tls-agent " + running + "; detach it first");
                return 1;
            }
            if (detach && running == null) {
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
            try {
                vm.detach();
            } catch (IOException ignored) {
                // the attach connection only
            }
        }
    }

    private static boolean looksLikeJava(String pid) {
        return ProcessHandle.of(Long.parseLong(pid)).flatMap(h -> h.info().command())
                .map(c -> new File(c).getName().startsWith("java")).orElse(false);
    }

    private static String agentJar() {
        try {
            return new File(AttachTool.class.getProtectionDomain().getCodeSource().getLocation().toURI()).getPath();
        } catch (Exception e) {
            throw new IllegalStateException("cannot locate tls-agent.jar", e);
        }
    }
}
