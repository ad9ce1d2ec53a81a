package io.tlsagent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The command line's answers to help and to mistakes (exit codes: 0 ok, 2 usage). */
class MainTest {

    private static String[] run(int expectedCode, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(code).isEqualTo(expectedCode);
        return new String[] {out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8)};
    }

    @Test
    void helpIsNoError() {
        for (String help : new String[] {"--help", "-h", "help"}) {
            String[] said = run(0, help);
            assertThat(said[0]).startsWith("usage: java -jar tls-agent.jar attach").contains("exit code");
            assertThat(said[1]).isEmpty();
        }
    }

    @Test
    void anUnknownCommandIsNamedBeforeTheUsage() {
        String[] said = run(2, "wacth", "123");
        assertThat(said[1]).startsWith("tls-agent: unknown command 'wacth'\nusage: ");
        assertThat(run(2)[1]).startsWith("usage: ");
        assertThat(run(2, "attach")[1]).startsWith("usage: ");
    }
}
