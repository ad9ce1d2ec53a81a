package io.tlsagent.compat.micrometer;

import java.nio.file.Paths;
import java.util.Map;

/** An application without Micrometer (run on a class path without it): HTTPS only. {@code NoMicrometerApp DIR} */
public final class NoMicrometerApp {

    public static void main(String[] args) throws Exception {
        HttpsApp.serve(Paths.get(args[0]), Map.of());
    }
}
