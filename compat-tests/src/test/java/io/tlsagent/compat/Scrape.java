package io.tlsagent.compat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/** The samples of a Prometheus text-format scrape, parsed here (not with the agent's or the app's code). */
public final class Scrape {

    public static final class Sample {
        public final String name;
        public final Map<String, String> labels;
        public final double value;

        Sample(String name, Map<String, String> labels, double value) {
            this.name = name;
            this.labels = labels;
            this.value = value;
        }

        @Override
        public String toString() {
            return name + labels + " " + value;
        }
    }

    public final List<Sample> samples = new ArrayList<>();
    public final String text;

    public Scrape(String text) {
        this.text = text;
        for (String line : text.split("\n")) {
            if (!line.isBlank() && !line.startsWith("#")) {
                samples.add(parse(line.trim()));
            }
        }
    }

    private static Sample parse(String line) {
        int brace = line.indexOf('{');
        Map<String, String> labels = new LinkedHashMap<>();
        String name;
        int rest;
        if (brace >= 0) {
            name = line.substring(0, brace);
            int i = brace + 1;
            while (line.charAt(i) != '}') {
                int eq = line.indexOf('=', i);
                String key = line.substring(i, eq);
                StringBuilder value = new StringBuilder();
                int j = eq + 2; // skip ="
                while (line.charAt(j) != '"') {
                    char c = line.charAt(j++);
                    if (c == '\\') {
                        char next = line.charAt(j++);
                        value.append(next == 'n' ? '\n' : next);
                    } else {
                        value.append(c);
                    }
                }
                labels.put(key, value.toString());
                i = j + 1;
                if (line.charAt(i) == ',') {
                    i++;
                }
            }
            rest = i + 1;
        } else {
            rest = line.indexOf(' ');
            name = line.substring(0, rest);
        }
        String[] valueAndTime = line.substring(rest).trim().split(" ");
        return new Sample(name, labels, Double.parseDouble(valueAndTime[0]));
    }

    public double sum(String name, Predicate<Map<String, String>> labels) {
        return samples.stream().filter(s -> s.name.equals(name) && labels.test(s.labels)).mapToDouble(s -> s.value)
                .sum();
    }

    public double sum(String name) {
        return sum(name, l -> true);
    }

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
        return !named(name).isEmpty();
    }
}
