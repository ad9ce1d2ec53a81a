package io.tlsagent.config;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Derives a service name from how the JVM was started, as log shippers expect one. */
final class ServiceNames {

    private static final Pattern JAR = Pattern.compile("^(.*?)\\.jar(?:\\s|$)");

    private ServiceNames() {}

    /** {@code -jar /opt/app/orders.jar} gives {@code orders}; {@code com.acme.Orders} gives {@code Orders}. */
    static String fromCommand(String javaCommand) {
        if (javaCommand == null || javaCommand.trim().isEmpty()) {
            return "java";
        }
        String command = javaCommand.trim();
        String first = command.split("\\s+")[0];
        // A main class never holds a path separator. A jar path is not quoted and may hold spaces: it ends at the
        // first ".jar" followed by a space or the end.
        Matcher jar = JAR.matcher(command);
        boolean isJar = first.endsWith(".jar") || first.indexOf('/') >= 0 || first.indexOf('\\') >= 0;
        if (isJar && jar.find()) {
            String path = jar.group(1);
            return path.substring(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1);
        }
        return first.substring(first.lastIndexOf('.') + 1);
    }
}
