package io.tlsagent.testsupport;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * The samples of a scrape, parsed here, never with the agent's (or an application's) own code: the Prometheus text
 * format 0.0.4 and OpenMetrics 1.0 text. Each sample line is {@code name{label="value",...} value [timestamp]}, in
 * OpenMetrics optionally followed by an exemplar {@code # {label="value"} value [timestamp]}; label values may hold
 * the escapes {@code \\}, {@code \"} and {@code \n}; {@code # HELP}, {@code # TYPE} and {@code # UNIT} lines are
 * skipped; {@code # EOF} ends an OpenMetrics exposition (anything after it is an error). A line that is none of
 * these fails the parse, with its number: a scrape the tests cannot read is a finding, not something to skip.
 */
public final class Scrape {

    /** One sample: its full name ({@code tls_handshake_duration_seconds_bucket}), labels, value. */
    public static final class Sample {
        public final String name;
        /** In the order the scrape lists them; unmodifiable. */
        public final Map<String, String> labels;
        public final double value;
        /** As written (milliseconds in the Prometheus format, seconds in OpenMetrics), or null when absent. */
        public final Double timestamp;
        /** OpenMetrics only; null when absent. */
        public final Exemplar exemplar;

        Sample(String name, Map<String, String> labels, double value, Double timestamp, Exemplar exemplar) {
            this.name = name;
            this.labels = labels;
            this.value = value;
            this.timestamp = timestamp;
            this.exemplar = exemplar;
        }

        @Override
        public String toString() {
            return name + labels + " " + value + (timestamp == null ? "" : " " + timestamp)
                    + (exemplar == null ? "" : " # " + exemplar);
        }
    }

    /** An OpenMetrics exemplar: {@code # {trace_id="..."} 0.67 1700000000.123}. */
    public static final class Exemplar {
        public final Map<String, String> labels;
        public final double value;
        /** Seconds, or null when absent. */
        public final Double timestamp;

        Exemplar(Map<String, String> labels, double value, Double timestamp) {
            this.labels = labels;
            this.value = value;
            this.timestamp = timestamp;
        }

        @Override
        public String toString() {
            return labels + " " + value + (timestamp == null ? "" : " " + timestamp);
        }
    }

    /** The scrape as received. */
    public final String text;
    /** Every sample line, in order; unmodifiable. */
    public final List<Sample> samples;
    /** Whether the text ended with OpenMetrics' {@code # EOF}. */
    public final boolean openMetrics;

    public Scrape(String text) {
        this.text = text;
        List<Sample> parsed = new ArrayList<>();
        boolean eof = false;
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].endsWith("\r") ? lines[i].substring(0, lines[i].length() - 1) : lines[i];
            if (line.isBlank()) {
                continue;
            }
            if (eof) {
                throw new IllegalArgumentException("line " + (i + 1) + " after # EOF: " + line);
            }
            if (line.startsWith("#")) {
                eof = line.trim().equals("# EOF");
                continue;
            }
            try {
                parsed.add(new Parser(line).sample());
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("line " + (i + 1) + " is not a sample (" + e.getMessage() + "): "
                        + line, e);
            }
        }
        this.samples = Collections.unmodifiableList(parsed);
        this.openMetrics = eof;
    }

    /** The sum of the samples named {@code name} whose labels pass {@code labels}. */
    public double sum(String name, Predicate<Map<String, String>> labels) {
        return samples.stream().filter(s -> s.name.equals(name) && labels.test(s.labels)).mapToDouble(s -> s.value)
                .sum();
    }

    public double sum(String name) {
        return sum(name, l -> true);
    }

    /** The samples named {@code name}, in order. */
    public List<Sample> named(String name) {
        List<Sample> out = new ArrayList<>();
        for (Sample s : samples) {
            if (s.name.equals(name)) {
                out.add(s);
            }
        }
        return out;
    }

    public boolean has(String name) {
        return samples.stream().anyMatch(s -> s.name.equals(name));
    }

    /** The distinct sample names, sorted ({@code tls_handshakes_total}, {@code tls_..._bucket}, ...). */
    public Set<String> names() {
        Set<String> names = new TreeSet<>();
        samples.forEach(s -> names.add(s.name));
        return names;
    }

    @Override
    public String toString() {
        return text;
    }

    /** One sample line, left to right. */
    private static final class Parser {
        private final String line;
        private int at;

        Parser(String line) {
            this.line = line;
        }

        Sample sample() {
            skipSpaces();
            int start = at;
            while (at < line.length() && line.charAt(at) != '{' && !Character.isWhitespace(line.charAt(at))) {
                at++;
            }
            String name = line.substring(start, at);
            if (name.isEmpty()) {
                throw new IllegalArgumentException("no metric name");
            }
            skipSpaces();
            Map<String, String> labels = at < line.length() && peek() == '{' ? labels() : Collections.emptyMap();
            double value = number(token("value"));
            Double timestamp = null;
            Exemplar exemplar = null;
            skipSpaces();
            if (at < line.length() && peek() != '#') {
                timestamp = number(token("timestamp"));
                skipSpaces();
            }
            if (at < line.length()) {
                expect('#');
                skipSpaces();
                if (peek() != '{') {
                    throw new IllegalArgumentException("an exemplar starts with its labels");
                }
                Map<String, String> exemplarLabels = labels();
                double exemplarValue = number(token("the exemplar's value"));
                skipSpaces();
                Double exemplarTime = at < line.length() ? number(token("the exemplar's timestamp")) : null;
                exemplar = new Exemplar(exemplarLabels, exemplarValue, exemplarTime);
            }
            skipSpaces();
            if (at < line.length()) {
                throw new IllegalArgumentException("more after the sample at " + at);
            }
            return new Sample(name, labels, value, timestamp, exemplar);
        }

        /** {@code {a="1",b="2"}} (a trailing comma allowed), at {@code at}. */
        private Map<String, String> labels() {
            expect('{');
            Map<String, String> labels = new LinkedHashMap<>();
            while (true) {
                skipSpaces();
                if (peek() == '}') {
                    at++;
                    return Collections.unmodifiableMap(labels);
                }
                int eq = line.indexOf('=', at);
                if (eq < 0) {
                    throw new IllegalArgumentException("a label without '='");
                }
                String key = line.substring(at, eq).trim();
                at = eq + 1;
                skipSpaces();
                expect('"');
                StringBuilder value = new StringBuilder();
                while (peek() != '"') {
                    char c = line.charAt(at++);
                    if (c == '\\') {
                        char next = line.charAt(at++);
                        value.append(next == 'n' ? '\n' : next); // \\ and \" stand for themselves
                    } else {
                        value.append(c);
                    }
                }
                at++;
                if (labels.put(key, value.toString()) != null) {
                    throw new IllegalArgumentException("label " + key + " twice");
                }
                skipSpaces();
                if (peek() == ',') {
                    at++;
                } else if (peek() != '}') {
                    throw new IllegalArgumentException("expected ',' or '}' at " + at);
                }
            }
        }

        private String token(String what) {
            skipSpaces();
            int start = at;
            while (at < line.length() && !Character.isWhitespace(line.charAt(at))) {
                at++;
            }
            if (start == at) {
                throw new IllegalArgumentException("no " + what);
            }
            return line.substring(start, at);
        }

        private static double number(String s) {
            switch (s) {
                case "+Inf":
                case "Inf":
                    return Double.POSITIVE_INFINITY;
                case "-Inf":
                    return Double.NEGATIVE_INFINITY;
                case "NaN":
                    return Double.NaN;
                default:
                    return Double.parseDouble(s);
            }
        }

        private char peek() {
            if (at >= line.length()) {
                throw new IllegalArgumentException("the line ends early");
            }
            return line.charAt(at);
        }

        private void expect(char c) {
            if (peek() != c) {
                throw new IllegalArgumentException("expected '" + c + "' at " + at);
            }
            at++;
        }

        private void skipSpaces() {
            while (at < line.length() && (line.charAt(at) == ' ' || line.charAt(at) == '\t')) {
                at++;
            }
        }
    }
}
