package io.tlsagent.config;

/** Derives a service name from how the JVM was started, as log shippers expect one. */
final class ServiceNames {

    private ServiceNames() {}

    /** {@code -jar /opt/app/orders.jar} gives {@code orders}; {@code com.acme.Orders} gives {@code Orders}. */
    static String fromCommand(String javaCommand) {
        if (javaCommand == null || javaCommand.trim().isEmpty()) {
            return "java";
        }
        String first = javaCommand.trim().split("\\s+")[0];
        if (first.endsWith(".jar")) {
            String file = first.substring(Math.max(first.lastIndexOf('/'), first.lastIndexOf('\\')) + 1);
            return file.substring(0, file.length() - 4);
        }
        return first.substring(first.lastIndexOf('.') + 1);
    }
}
