package io.tlsagent.cli.attach;

import com.sun.tools.attach.AttachNotSupportedException;
import com.sun.tools.attach.VirtualMachine;
import io.tlsagent.TlsAgent;
import java.io.File;
import java.io.IOException;

/** A JVM to load the agent into: finding it safely, attaching, and what the agent says of itself there. */
public final class TargetJvm {

    /** System property that says an agent runs in a JVM (its value: the version). */
    public static final String RUNNING_PROPERTY = TlsAgent.RUNNING_PROPERTY;
    /** System property with the running agent's metrics URL. */
    public static final String METRICS_PROPERTY = TlsAgent.METRICS_PROPERTY;
    /** System property in which an attach leaves what the agent said as it started. */
    public static final String ATTACH_OUTCOME_PROPERTY = TlsAgent.ATTACH_OUTCOME_PROPERTY;
    /** Agent argument asking for the watch channel. */
    public static final String WATCH = TlsAgent.WATCH;
    /** Agent argument that detaches a running agent. */
    public static final String DETACH = TlsAgent.DETACH;
    /** Suffix of {@link #RUNNING_PROPERTY}'s value for an agent started by {@code watch} alone. */
    public static final String WATCH_ONLY = TlsAgent.WATCH_ONLY;

    private TargetJvm() {}

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
            return new File(TargetJvm.class.getProtectionDomain().getCodeSource().getLocation().toURI()).getPath();
        } catch (Exception e) {
            throw new IllegalStateException("cannot locate tls-agent.jar", e);
        }
    }
}
