package io.tlsagent.report;

import java.io.IOException;
import java.io.Reader;

/**
 * Reads lines of at most {@code max} characters: a longer one (never written by the agent) is skipped to its end
 * rather than held in memory whole.
 */
final class LineReader {

    /** Returned for a line that was too long; compare by identity. */
    static final String TOO_LONG = new String("(too long)");

    private final Reader in;
    private final int max;
    private final char[] buffer = new char[64 * 1024];
    private int pos;
    private int end;
    private final StringBuilder line = new StringBuilder();

    LineReader(Reader in, int max) {
        this.in = in;
        this.max = max;
    }

    /** The next line without its end ({@code \n} or {@code \r\n}), {@link #TOO_LONG}, or null at the end. */
    String readLine() throws IOException {
        line.setLength(0);
        boolean tooLong = false;
        boolean any = false;
        while (true) {
            if (pos == end) {
                end = in.read(buffer, 0, buffer.length);
                pos = 0;
                if (end <= 0) {
                    end = 0;
                    return any ? finish(tooLong) : null;
                }
            }
            any = true;
            int start = pos;
            while (pos < end && buffer[pos] != '\n') {
                pos++;
            }
            if (!tooLong) {
                line.append(buffer, start, pos - start);
                if (line.length() > max) {
                    tooLong = true;
                    line.setLength(0);
                }
            }
            if (pos < end) {
                pos++; // the '\n'
                return finish(tooLong);
            }
        }
    }

    private String finish(boolean tooLong) {
        if (tooLong) {
            return TOO_LONG;
        }
        int n = line.length();
        if (n > 0 && line.charAt(n - 1) == '\r') {
            line.setLength(n - 1);
        }
        return line.toString();
    }
}
