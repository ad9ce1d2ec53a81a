package io.tlsagent.compat;

import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An application with its own Jackson, Micrometer (and Prometheus registry with its own scrape) and Byte Buddy, at
 * other versions than the ones the agent shades ({@link io.tlsagent.compat.apps.CoexistenceApp}).
 */
@Tag("jdk")
class CoexistenceIT {

    @TempDir
    static Path dir;
    static CoexistenceRun run;

    @BeforeAll
    static void run() throws Exception {
        run = CoexistenceRun.run(dir, "CoexistenceIT", b -> b);
    }

    @Test
    void theApplicationsOwnLibrariesWork() {
        run.theApplicationsOwnLibrariesWork();
        // No tracing agent here: nobody added a traceparent header.
        org.assertj.core.api.Assertions.assertThat(run.jvm.values("TRACEPARENT")).containsExactly("-", "-");
    }

    @Test
    void theTwoRegistriesAreSeparateAndBothWork() {
        run.theTwoRegistriesAreSeparateAndBothWork();
    }

    @Test
    void theAgentRecordedExactlyTheApplicationsHandshakes() throws Exception {
        run.exactlyTheApplicationsHandshakes();
    }

    @Test
    void agentStartedOnceAndStayedQuiet() {
        Checks.agentHealthy(run.jvm, run.scrape);
    }
}
