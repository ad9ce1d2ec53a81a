package io.tlsagent.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * The agent's share of a forked JVM's CPU, from a Java Flight Recorder file: of all execution samples (any thread
 * running Java code), those with an agent frame on the stack ({@code io.tlsagent.*}, its bundled libraries
 * included, the benchmarks excluded). It resolves what wall-clock throughput cannot on a noisy machine: both counts
 * come from the same seconds of the same JVM.
 */
final class AgentShare {

    /** Execution samples only, every 10 ms per thread: enough to count, too few to cost anything measurable. */
    static final String JFC = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
            + "<configuration version=\"2.0\" label=\"tls-agent benchmarks\">\n"
            + "  <event name=\"jdk.ExecutionSample\">\n"
            + "    <setting name=\"enabled\">true</setting>\n"
            + "    <setting name=\"period\">10 ms</setting>\n"
            + "  </event>\n"
            + "</configuration>\n";

    long samples;
    long agentSamples;
    long writerSamples; // on the JSON log's writer thread
    /** Samples with an agent frame, by part of the agent ({@link #part}): the profile of docs/performance.md. */
    final java.util.Map<String, Long> parts = new java.util.TreeMap<>();
    long handshakeSamples; // on the threads where handshakes run (ThreadCost.handshakeThread)
    long handshakeAgentSamples; // of those, with an agent frame: the agent's work on the application's threads
    long agentThreadSamples; // on the agent's own threads

    static Path writeSettings(Path dir) throws IOException {
        return Files.writeString(dir.resolve("samples.jfc"), JFC);
    }

    static AgentShare of(Path recording) throws IOException {
        AgentShare share = new AgentShare();
        try (RecordingFile in = new RecordingFile(recording)) {
            while (in.hasMoreEvents()) {
                RecordedEvent e = in.readEvent();
                if (!e.getEventType().getName().equals("jdk.ExecutionSample")) {
                    continue;
                }
                share.samples++;
                String thread = e.getThread("sampledThread") != null ? e.getThread("sampledThread").getJavaName()
                        : null;
                boolean agent = isAgent(e.getStackTrace());
                if (agent) {
                    share.parts.merge(part(thread, e.getStackTrace()), 1L, Long::sum);
                    share.agentSamples++;
                    if ("tls-agent-log".equals(thread)) {
                        share.writerSamples++;
                    }
                }
                if (ThreadCost.handshakeThread(thread)) {
                    share.handshakeSamples++;
                    if (agent) {
                        share.handshakeAgentSamples++;
                    }
                } else if (ThreadCost.agentThread(thread)) {
                    share.agentThreadSamples++;
                }
            }
        }
        return share;
    }

    /**
     * Which part of the agent a sample with an agent frame is in: by the thread (the handshake's, or which of the
     * agent's) and the outermost agent frame's package, the part that called into the rest.
     */
    static String part(String thread, RecordedStackTrace stack) {
        String outer = null;
        for (RecordedFrame f : stack.getFrames()) {
            if (f.getMethod() != null && f.getMethod().getType() != null) {
                String type = f.getMethod().getType().getName();
                if (type.startsWith("io.tlsagent.") && !type.startsWith("io.tlsagent.bench.")) {
                    outer = type;
                }
            }
        }
        String where = ThreadCost.handshakeThread(thread) ? "handshake thread" : thread == null ? "?" : thread;
        if (outer == null) {
            return where;
        }
        String p = outer.substring("io.tlsagent.".length());
        if (p.startsWith("capture.")) {
            return where + ": capture (capture/)";
        }
        if (p.startsWith("export.jfr.")) {
            return where + ": JFR event (export/jfr/)";
        }
        if (p.startsWith("export.ExportPipeline") || p.startsWith("export.meters.")) {
            return where + ": exact counts, hand-over (export/ExportPipeline, export/meters/)";
        }
        if (p.startsWith("export.log.") || p.startsWith("export.ecs.")) {
            return where + ": JSON lines (export/log/, export/ecs/)";
        }
        if (p.startsWith("instrumentation.")) {
            return where + ": hooks (instrumentation/)";
        }
        int dot = p.lastIndexOf('.');
        return where + ": " + (dot > 0 ? p.substring(0, dot).replace('.', '/') + "/" + p.substring(dot + 1) : p);
    }

    private static boolean isAgent(RecordedStackTrace stack) {
        if (stack == null) {
            return false;
        }
        for (RecordedFrame f : stack.getFrames()) {
            if (f.getMethod() == null || f.getMethod().getType() == null) {
                continue;
            }
            String type = f.getMethod().getType().getName();
            if (type.startsWith("io.tlsagent.") && !type.startsWith("io.tlsagent.bench.")) {
                return true;
            }
        }
        return false;
    }
}
