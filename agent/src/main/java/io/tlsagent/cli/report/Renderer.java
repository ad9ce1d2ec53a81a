package io.tlsagent.cli.report;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Prints the sections as text tables (for a person) or as one JSON document (for a program). */
final class Renderer {

    private static final int MAX_CELL = 64;
    private static final int MAX_LAST_CELL = 400; // nothing to align after it

    private Renderer() {}

    /** {@code top}: rows per table, 0 for all. */
    static void table(List<Section> sections, Map<String, Object> summary, int top, PrintStream out) {
        for (Map.Entry<String, Object> e : summary.entrySet()) {
            if (e.getValue() instanceof String && e.getKey().startsWith("text")) {
                out.println(safe((String) e.getValue(), Integer.MAX_VALUE));
            }
        }
        for (Section s : sections) {
            out.println();
            out.println(s.title);
            if (s.rows.isEmpty() && !s.headers.isEmpty()) {
                out.println("  (none)");
            } else if (!s.headers.isEmpty()) {
                int shown = top > 0 ? Math.min(top, s.rows.size()) : s.rows.size();
                List<String[]> cells = new ArrayList<>();
                cells.add(s.headers.toArray(new String[0]));
                for (Object[] row : s.rows.subList(0, shown)) {
                    String[] c = new String[row.length];
                    for (int i = 0; i < row.length; i++) {
                        c[i] = cell(row[i], i == row.length - 1 ? MAX_LAST_CELL : MAX_CELL);
                    }
                    cells.add(c);
                }
                print(cells, out);
                if (shown < s.rows.size()) {
                    out.println("  ... " + (s.rows.size() - shown) + " more rows (--top 0 shows all)");
                }
            }
            for (String note : s.notes) {
                out.println("  " + safe(note, Integer.MAX_VALUE));
            }
        }
    }

    private static void print(List<String[]> cells, PrintStream out) {
        int columns = cells.get(0).length;
        int[] width = new int[columns];
        for (String[] row : cells) {
            for (int i = 0; i < columns; i++) {
                width[i] = Math.max(width[i], row[i].length());
            }
        }
        for (String[] row : cells) {
            StringBuilder line = new StringBuilder("  ");
            for (int i = 0; i < columns; i++) {
                line.append(row[i]);
                if (i < columns - 1) {
                    line.append(" ".repeat(width[i] - row[i].length() + 2));
                }
            }
            out.println(line.toString().stripTrailing());
        }
    }

    private static String cell(Object v, int max) {
        if (v == null) {
            return "-";
        }
        if (v instanceof List) {
            List<?> list = (List<?>) v;
            return list.isEmpty() ? "-" : safe(String.join(", ", list.stream().map(String::valueOf)
                    .toArray(String[]::new)), max);
        }
        return safe(String.valueOf(v), max);
    }

    /** Names come from the network: no control characters reach the terminal, and long ones are cut. */
    static String safe(String s, int max) {
        StringBuilder sb = new StringBuilder(Math.min(s.length(), max));
        for (int i = 0; i < s.length() && sb.length() < max; i++) {
            char c = s.charAt(i);
            sb.append(Character.isISOControl(c) || c == '\u2028' || c == '\u2029' ? '?' : c);
        }
        if (s.length() > max) {
            sb.setLength(max - 3);
            sb.append("...");
        }
        return sb.toString();
    }

    static void json(List<Section> sections, Map<String, Object> summary, OutputStream out) throws IOException {
        JsonGenerator g = new JsonFactory().createGenerator(out);
        g.useDefaultPrettyPrinter();
        g.writeStartObject();
        for (Map.Entry<String, Object> e : summary.entrySet()) {
            if (!e.getKey().startsWith("text")) {
                g.writeFieldName(e.getKey());
                value(g, e.getValue());
            }
        }
        for (Section s : sections) {
            g.writeObjectFieldStart(s.key);
            for (Map.Entry<String, Object> e : s.extra.entrySet()) {
                g.writeFieldName(e.getKey());
                value(g, e.getValue());
            }
            g.writeArrayFieldStart("rows");
            for (Object[] row : s.rows) {
                g.writeStartObject();
                for (int i = 0; i < row.length; i++) {
                    if (row[i] != null) {
                        g.writeFieldName(s.fields.get(i));
                        value(g, row[i]);
                    }
                }
                g.writeEndObject();
            }
            g.writeEndArray();
            if (!s.notes.isEmpty()) {
                g.writeArrayFieldStart("notes");
                for (String n : s.notes) {
                    g.writeString(n);
                }
                g.writeEndArray();
            }
            g.writeEndObject();
        }
        g.writeEndObject();
        g.writeRaw('\n');
        g.flush();
    }

    private static void value(JsonGenerator g, Object v) throws IOException {
        if (v instanceof Number) {
            g.writeNumber(((Number) v).longValue());
        } else if (v instanceof Boolean) {
            g.writeBoolean((Boolean) v);
        } else if (v instanceof List) {
            g.writeStartArray();
            for (Object o : (List<?>) v) {
                value(g, o);
            }
            g.writeEndArray();
        } else if (v instanceof Map) {
            g.writeStartObject();
            for (Map.Entry<?, ?> e : ((Map<?, ?>) v).entrySet()) {
                g.writeFieldName(String.valueOf(e.getKey()));
                value(g, e.getValue());
            }
            g.writeEndObject();
        } else {
            g.writeString(String.valueOf(v));
        }
    }
}
