package io.tlsagent.cli.attach;

import com.sun.tools.attach.AgentInitializationException;
import com.sun.tools.attach.AgentLoadException;
import com.sun.tools.attach.VirtualMachine;
import com.sun.tools.attach.VirtualMachineDescriptor;
import java.io.IOException;
import java.io.PrintStream;

/**
 * {@code attach <pid> [key=value,...]} loads the agent into a running JVM, {@code detach <pid>} removes it again,
 * {@code list} lists the JVMs it could be loaded into.
 */
public final class AttachCommand {

    private AttachCommand() {}

    public static int list(PrintStream out) {
        for (VirtualMachineDescriptor vm : VirtualMachine.list()) {
            out.println(vm.id() + " " + vm.displayName());
        }
        return 0;
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
            out.println("tls-agent: " + (attach ? "attached to " : "detached from ") + pid
                    + (attach ? " (its stderr says where the metrics are)" : ""));
            return 0;
        } catch (AgentLoadException | AgentInitializationException | IOException e) {
            err.println("tls-agent: " + (attach ? "attaching to " : "detaching from ") + pid + " failed: " + e);
            return 1;
        } finally {
            TargetJvm.detachQuietly(vm);
        }
    }

}
