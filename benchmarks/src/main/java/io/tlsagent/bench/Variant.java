package io.tlsagent.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * A way to run a forked JVM: without the agent ({@code none}), or with it ({@code on}: metrics with their /metrics
 * endpoint on a free loopback port, JSON log to a file; other variants add arguments to those). Each fork gets a
 * log file of its own, so that afterwards we can check the agent really recorded.
 */
final class Variant {

    final String name;
    private final String extraArgs; // null: no agent
    private final Path jar; // null: the agent measured (--agent-jar)

    private Variant(String name, String extraArgs) {
        this(name, extraArgs, null);
    }

    private Variant(String name, String extraArgs, Path jar) {
        this.name = name;
        this.extraArgs = extraArgs;
        this.jar = jar;
    }

    static List<Variant> of(Options o) {
        List<Variant> all = new ArrayList<>();
        all.add(new Variant("none", null));
        all.add(new Variant("on", ""));
        for (String[] v : o.extraVariants) {
            all.add(new Variant(v[0], v[1]));
        }
        if (o.beforeJar != null) {
            all.add(new Variant("before", "", o.beforeJar));
        }
        return all;
    }

    boolean agent() {
        return extraArgs != null;
    }

    /** The {@code -javaagent} argument for one JVM whose JSON log goes to {@code log}; empty without the agent. */
    List<String> jvmArgs(Path agentJar, Path log) throws IOException {
        return jvmArgs(agentJar, log, freePort());
    }

    /** The same, with the /metrics endpoint on {@code port}. */
    List<String> jvmArgs(Path agentJar, Path log, int port) {
        if (!agent()) {
            return List.of();
        }
        String args = "port=" + port + ",host=127.0.0.1,log=file:" + log
                + (extraArgs.isEmpty() ? "" : "," + extraArgs);
        return List.of("-javaagent:" + (jar != null ? jar : agentJar).toAbsolutePath() + "=" + args);
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    static long lines(Path file) throws IOException {
        if (!Files.exists(file)) {
            return 0;
        }
        try (Stream<String> lines = Files.lines(file)) {
            return lines.count();
        }
    }

    @Override
    public String toString() {
        return name;
    }
}
