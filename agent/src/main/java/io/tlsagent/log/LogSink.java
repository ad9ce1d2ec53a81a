package io.tlsagent.log;

import io.tlsagent.config.AgentConfig;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/**
 * Where JSON lines go. Standard output and error are written through their file descriptors, not
 * {@code System.out}, so an application that redirects {@code System.out} into its logger does not wrap them.
 */
public final class LogSink {

    private final String description;
    private final String path;
    private OutputStream stream;

    private LogSink(String description, String path, OutputStream stream) {
        this.description = description;
        this.path = path;
        this.stream = stream;
    }

    public static LogSink of(AgentConfig config) {
        switch (config.logTarget()) {
            case STDERR:
                return new LogSink("stderr", null, new FileOutputStream(FileDescriptor.err));
            case FILE:
                return new LogSink(config.logPath(), config.logPath(), null);
            default:
                return new LogSink("stdout", null, new FileOutputStream(FileDescriptor.out));
        }
    }

    /** The stream to write to; a file is opened (for appending) on first use and after a failure. */
    OutputStream stream() throws IOException {
        if (stream == null) {
            stream = new FileOutputStream(path, true);
        }
        return stream;
    }

    void close() {
        if (path != null && stream != null) {
            try {
                stream.close();
            } catch (IOException ignored) {
                // nothing left to do
            }
            stream = null;
        }
    }

    @Override
    public String toString() {
        return description;
    }
}
