package io.tlsagent.testsupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The agent's {@code tlsagent.Handshake} events in a recording, as the JDK's own {@code jfr print --json} shows them
 * (the {@code jfr} tool beside the forked JVMs' java, {@link ForkedJvm#java()}): each event's {@code values}.
 */
public final class JfrEvents {

    public static final String HANDSHAKE = "tlsagent.Handshake";
    private static final ObjectMapper JSON = new ObjectMapper();

    private JfrEvents() {}

    public static List<JsonNode> handshakes(Path recording) throws IOException, InterruptedException {
        Path jfr = Paths.get(ForkedJvm.java()).resolveSibling("jfr");
        Process p = new ProcessBuilder(jfr.toString(), "print", "--json", "--events", HANDSHAKE,
                recording.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new AssertionError("jfr print failed on " + recording + ":\n" + out);
        }
        List<JsonNode> events = new ArrayList<>();
        for (JsonNode e : JSON.readTree(out).path("recording").path("events")) {
            if (!HANDSHAKE.equals(e.path("type").asText())) {
                throw new AssertionError("not a " + HANDSHAKE + " event: " + e);
            }
            events.add(e.path("values"));
        }
        return events;
    }
}
