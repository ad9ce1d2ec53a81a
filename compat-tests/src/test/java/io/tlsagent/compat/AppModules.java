package io.tlsagent.compat;

import static org.assertj.core.api.Assertions.assertThat;

import io.tlsagent.testsupport.ClassPath;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The applications of {@code compat-tests/apps}, each built by its own module with its own dependencies (a Micrometer
 * or Spring Boot version of its own): their classes, the class path their build wrote, their executable jar.
 */
public final class AppModules {

    private static final Path APPS = Paths.get(System.getProperty("tlsagent.test.apps", "apps")).toAbsolutePath()
            .normalize();

    private AppModules() {}

    public static Path target(String module) {
        Path target = APPS.resolve(module).resolve("target");
        assertThat(target.resolve("classpath.txt")).as("build it first: mvn -B -pl compat-tests -am verify")
                .isRegularFile();
        return target;
    }

    /** The application's classes and its dependencies. */
    public static ClassPath classPath(String module) throws IOException {
        Path target = target(module);
        List<String> entries = new ArrayList<>();
        entries.add(target.resolve("classes").toString());
        entries.addAll(Arrays.asList(Files.readString(target.resolve("classpath.txt")).trim()
                .split(File.pathSeparator)));
        return ClassPath.of(entries);
    }

    /** Its dependencies only, as file names (to check the versions under test). */
    public static String jarNames(String module) throws IOException {
        StringBuilder names = new StringBuilder();
        for (String entry : Files.readString(target(module).resolve("classpath.txt")).trim()
                .split(File.pathSeparator)) {
            names.append(Paths.get(entry).getFileName()).append(' ');
        }
        return names.toString();
    }

    /** A Spring Boot module's executable jar. */
    public static Path jar(String module) {
        Path jar = target(module).resolve("app.jar");
        assertThat(jar).isRegularFile();
        return jar;
    }
}
