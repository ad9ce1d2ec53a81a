package io.tlsagent.anatomy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Reads the tab-separated vector files under src/test/resources/anatomy ('#' lines are comments). */
final class Vectors {

    private Vectors() {}

    static List<String[]> read(String name) throws IOException {
        List<String[]> rows = new ArrayList<>();
        try (InputStream in = Vectors.class.getResourceAsStream("/anatomy/" + name)) {
            if (in == null) {
                throw new IOException("missing test resource anatomy/" + name);
            }
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            String line;
            while ((line = r.readLine()) != null) {
                if (!line.isEmpty() && !line.startsWith("#")) {
                    rows.add(line.split("\t", -1));
                }
            }
        }
        return rows;
    }
}
