package io.tlsagent.it;

import io.tlsagent.testsupport.ClassPath;
import io.tlsagent.testsupport.ForkedJvm;
import java.nio.file.Path;

/** How the integration tests start their JVMs: {@link Workload} with the built agent jar, on a small class path. */
final class Forks {

    private Forks() {}

    /**
     * {@link Workload} with {@code args}, the agent jar as {@code -javaagent} unless told otherwise, in {@code dir}
     * (its JSON log is {@code dir/handshakes.jsonl}).
     */
    static ForkedJvm.Builder workload(Path dir, String... args) {
        return ForkedJvm.builder(dir, Workload.class).classPath(classPath()).args(args);
    }

    /**
     * The test classes, test-support, Bouncy Castle and SLF4J's API (an application's own, as many have, which the
     * agent's bundled libraries must never wake): never the agent's classes nor the libraries it shades, so the agent
     * comes from its jar alone.
     */
    static ClassPath classPath() {
        return ClassPath.ofTests().only(e -> e.endsWith("test-classes") || ClassPath.holds(e, ForkedJvm.class)
                || e.contains("bouncycastle") || e.contains("/bc") || e.contains("slf4j-api"));
    }
}
