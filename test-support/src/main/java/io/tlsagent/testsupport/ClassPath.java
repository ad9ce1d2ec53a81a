package io.tlsagent.testsupport;

import java.io.File;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Predicate;

/**
 * The class path of a {@link ForkedJvm}, taken from the test JVM's own ({@code java.class.path}, which Maven's test
 * runners set to the module's test class path). Never with the agent's own classes: a fork gets the agent from its
 * jar alone, as a user's JVM does.
 */
public final class ClassPath {

    private final List<String> entries;

    private ClassPath(List<String> entries) {
        this.entries = Collections.unmodifiableList(entries);
    }

    /**
     * The test JVM's class path less the test runner's jars (surefire, failsafe) and anything of the agent (the
     * agent's and the bootstrap module's {@code target/classes}, a {@code tls-agent*.jar} other than this module's,
     * an installed {@code io/tlsagent/tls-agent*}): the module's test classes and all its test dependencies.
     */
    public static ClassPath ofTests() {
        String self = entryOf(ClassPath.class);
        List<String> entries = new ArrayList<>();
        for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (e.isEmpty()) {
                continue;
            }
            String path = e.replace('\\', '/');
            String name = Paths.get(e).getFileName().toString();
            boolean agent = !normalized(e).equals(self) && (name.startsWith("tls-agent")
                    || path.endsWith("/agent/target/classes") || path.endsWith("/bootstrap/target/classes")
                    || path.contains("/io/tlsagent/tls-agent"));
            boolean runner = name.startsWith("surefire") || name.startsWith("failsafe");
            if (!agent && !runner) {
                entries.add(e);
            }
        }
        return new ClassPath(entries);
    }

    /** These entries (the class path another module's build wrote, say), as they are. */
    public static ClassPath of(List<String> entries) {
        return new ClassPath(new ArrayList<>(entries));
    }

    /** The entry (a jar or a directory) the class was loaded from, absolute. */
    public static String entryOf(Class<?> type) {
        try {
            return normalized(Paths.get(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString());
        } catch (URISyntaxException | NullPointerException e) {
            throw new IllegalStateException("where " + type + " was loaded from is unknown", e);
        }
    }

    /** Only the entries that pass {@code keep}. */
    public ClassPath only(Predicate<String> keep) {
        List<String> kept = new ArrayList<>();
        for (String e : entries) {
            if (keep.test(e)) {
                kept.add(e);
            }
        }
        return new ClassPath(kept);
    }

    /** Whether {@code entry} is the one that holds {@code type}. */
    public static boolean holds(String entry, Class<?> type) {
        return normalized(entry).equals(entryOf(type));
    }

    public List<String> entries() {
        return entries;
    }

    /** The entries joined for {@code -cp}. */
    @Override
    public String toString() {
        return String.join(File.pathSeparator, entries);
    }

    private static String normalized(String entry) {
        Path p = Paths.get(entry).toAbsolutePath().normalize();
        return p.toString();
    }
}
