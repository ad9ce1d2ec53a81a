package io.tlsagent.it;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/** The samples of a Prometheus text-format scrape, parsed without help from the agent's own code. */
final class Scrape {

    static final class Sample {
        final String name;
        final Map<String, String> labels;
        final double value;

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

    final List<Sample> samples = new ArrayList<>();
    final String text;

    Scrape(String text) {
        this.text = text;
        for (String line : text.split("\n")) {
            if (!line.isEmpty() && !line.startsWith("#")) {
                samples.add(parse(line));
            }
        }
    }

    private static Sample parse(String line) {
        int brace = line.indexOf('{');
        int space = line.lastIndexOf(' ');
        Map<String, String> labels = new LinkedHashMap<>();
        String name;
        if (brace >= 0 && brace < space) {
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
        } else {
            name = line.substring(0, space);
        }
        return new Sample(name, labels, Double.parseDouble(line.substring(space + 1)));
    }

    double sum(String name, Predicate<Map<String, String>> labels) {
        return samples.stream().filter(s -> s.name.equals(name) && labels.test(s.labels)).mapToDouble(s -> s.value)
                .sum();
    }

    double sum(String name) {
        return sum(name, l -> true);
    }

    List<Sample> named(String name) {
        List<Sample> out = new ArrayList<>();
        for (Sample s : samples) {
            if (s.name.equals(name)) {
                out.add(s);
            }
        }
        return out;
    }
}
