package io.tlsagent.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.tlsagent.testsupport.ForkedJvm;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarInputStream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * What the shade plugin must leave alone in the built jar: the adapter to the application's Micrometer (a nested
 * jar) still names the application's {@code io.micrometer} classes, not the agent's relocated copy; and the bridge
 * it implements is in the jar, unrelocated, for the boot loader.
 */
@Tag("jdk")
class AgentJarIT {

    @Test
    void theMicrometerAdapterLinksAgainstTheApplicationsMicrometer() throws Exception {
        try (JarFile agent = new JarFile(ForkedJvm.AGENT_JAR.toFile())) {
            assertThat(agent.getEntry("io/tlsagent/bootstrap/MicrometerEvents$Adapter.class")).isNotNull();
            JarEntry nested = agent.getJarEntry("META-INF/tls-agent/micrometer-adapter.jar");
            assertThat(nested).as("the adapter, nested").isNotNull();
            String adapter = null;
            try (JarInputStream in = new JarInputStream(agent.getInputStream(nested))) {
                for (JarEntry e = in.getNextJarEntry(); e != null; e = in.getNextJarEntry()) {
                    if (e.getName().equals("io/tlsagent/micrometer/MicrometerAdapter.class")) {
                        adapter = read(in);
                    }
                }
            }
            assertThat(adapter).as("MicrometerAdapter.class in the nested jar").isNotNull()
                    .contains("io/micrometer/core/instrument/Metrics")
                    .contains("io/tlsagent/bootstrap/MicrometerEvents$Adapter")
                    .doesNotContain("io/tlsagent/shaded");
        }
    }

    /** The class file's bytes as ISO-8859-1 text: its constant pool's names can be searched. */
    private static String read(InputStream in) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        in.transferTo(out);
        return out.toString(StandardCharsets.ISO_8859_1);
    }
}
