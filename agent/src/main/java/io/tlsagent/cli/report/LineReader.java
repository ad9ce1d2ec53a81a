package io.tlsagent.cli.report;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Reads lines as UTF-8 bytes (the JSON parser reads bytes faster than it reads strings) of at most {@code max}
 * bytes: a longer one (never written by the agent) is skipped to its end rather than held in memory whole.
 */
final class LineReader {

    static final int END = -1;
    static final int TOO_LONG = -2;

    private final InputStream in;
    private final int max;
    private final byte[] buffer = new byte[64 * 1024];
    private int pos;
    private int end;
    private byte[] line = new byte[16 * 1024];
    private int length;

    LineReader(InputStream in, int max) {
        this.in = in;
        this.max = max;
    }

    /**
     * Reads the next line, without its end ({@code \n} or {@code \r\n}), into {@link #bytes()}; returns its length,
     * {@link #TOO_LONG}, or {@link #END}.
     */
    int next() throws IOException {
        length = 0;
        boolean tooLong = false;
        boolean any = false;
        while (true) {
            if (pos == end) {
                end = in.read(buffer, 0, buffer.length);
                pos = 0;
                if (end <= 0) {
                    end = 0;
                    return any ? finish(tooLong) : END;
                }
            }
            any = true;
            int start = pos;
            while (pos < end && buffer[pos] != '\n') {
                pos++;
            }
            if (!tooLong) {
                int n = pos - start;
                if (length + n > max) {
                    tooLong = true;
                } else {
                    if (length + n > line.length) {
                        line = Arrays.copyOf(line, Math.min(max, Math.max(line.length * 2, length + n)));
                    }
                    System.arraycopy(buffer, start, line, length, n);
                    length += n;
                }
            }
            if (pos < end) {
                pos++; // the '\n'
                return finish(tooLong);
            }
        }
    }

    /** The line's bytes, valid until the next call of {@link #next()}. */
    byte[] bytes() {
        return line;
    }

    private int finish(boolean tooLong) {
        if (tooLong) {
            return TOO_LONG;
        }
        if (length > 0 && line[length - 1] == '\r') {
            length--;
        }
        return length;
    }

    /** Only spaces and tabs. */
    static boolean blank(byte[] b, int length) {
        for (int i = 0; i < length; i++) {
            if (b[i] != ' ' && b[i] != '\t' && b[i] != '\r') {
                return false;
            }
        }
        return true;
    }
}
