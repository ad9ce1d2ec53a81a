package io.tlsagent.export.log;

import io.tlsagent.config.AgentConfig;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Objects;

/**
 * Where JSON lines go. Standard output and error are written through their file descriptors, not
 * {@code System.out}, so an application that redirects {@code System.out} into its logger does not wrap them.
 */
public final class LogSink {

    private final String description;
    private final String path;
    private FileOutputStream stream;
    private Object fileKey; // the file we opened; the path may be renamed away by log rotation
    private long size = -1; // the file's size after our last write, to notice it was truncated (copytruncate)

    private LogSink(String description, String path, FileOutputStream stream) {
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

    /**
     * Whether the file was rotated since the last write: renamed away (the path now names another file, or none:
     * the next write opens it anew) or truncated in place (copytruncate: appending goes on at its new end).
     * Standard output and error are never rotated.
     */
    boolean rotated() {
        if (path == null || stream == null) {
            return false;
        }
        if (!Objects.equals(fileKey, fileKey(path))) {
            close();
            return true;
        }
        try {
            long now = stream.getChannel().size();
            boolean truncated = now < size;
            size = now;
            return truncated;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /**
     * The stream to write to. A file is opened for appending on first use, after a failure, and when the path no
     * longer names the file we have open (rename rotation); appending also follows copytruncate rotation.
     */
    OutputStream stream() throws IOException {
        if (path != null && stream != null && !Objects.equals(fileKey, fileKey(path))) {
            close();
        }
        if (stream == null) {
            stream = new FileOutputStream(path, true);
            fileKey = fileKey(path);
        }
        return stream;
    }

    /** After a write: remembers the file's size, so that {@link #rotated()} notices a truncation. */
    void written() {
        if (path != null && stream != null) {
            try {
                size = stream.getChannel().size();
            } catch (IOException | RuntimeException e) {
                size = -1;
            }
        }
    }

    private static Object fileKey(String path) {
        try {
            return Files.readAttributes(Paths.get(path), BasicFileAttributes.class).fileKey();
        } catch (IOException | RuntimeException gone) {
            return null;
        }
    }

    void close() {
        if (path != null && stream != null) {
            try {
                stream.close();
            } catch (IOException ignored) {
                // nothing left to do
            }
            stream = null;
            size = -1;
        }
    }

    @Override
    public String toString() {
        return description;
    }
}
