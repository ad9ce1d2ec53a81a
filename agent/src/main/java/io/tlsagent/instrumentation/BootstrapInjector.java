package io.tlsagent.instrumentation;

import java.io.IOException;
import java.io.InputStream;
import java.lang.instrument.Instrumentation;
import java.lang.reflect.Method;
import java.security.ProtectionDomain;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Makes the bridge visible to the JDK's own classes: defines {@code io.tlsagent.bootstrap.*} in the bootstrap
 * class loader, and opens {@code sun.security.ssl} to the agent so it can read the handshake state (and
 * {@code jdk.internal.net.http}, where the JDK's HttpClient keeps its channel).
 *
 * <p>The classes are defined one by one instead of appending a jar to the bootstrap class path, which would
 * make the JVM print a CDS warning and give up class-data sharing for application classes. Must run before
 * any agent class that refers to the bridge is loaded, hence the class names as strings.
 */
public final class BootstrapInjector {

    static final List<String> BRIDGE_CLASSES =
            List.of("io.tlsagent.bootstrap.SunJsseEvents", "io.tlsagent.bootstrap.PublicApiEvents",
                    "io.tlsagent.bootstrap.MicrometerEvents", "io.tlsagent.bootstrap.MicrometerEvents$Adapter",
                    "io.tlsagent.bootstrap.ConnectionEvents", "io.tlsagent.bootstrap.KeyMaterialEvents");

    private BootstrapInjector() {}

    public static void inject(Instrumentation inst) throws Exception {
        Module javaBase = Object.class.getModule();
        Module agent = BootstrapInjector.class.getModule();
        inst.redefineModule(javaBase, Set.of(), Map.of("jdk.internal.misc", Set.of(agent)),
                Map.of("sun.security.ssl", Set.of(agent)), Set.of(), Map.of());
        // The JDK's HttpClient keeps its connection's channel in a private field of SocketTube.
        ModuleLayer.boot().findModule("java.net.http").ifPresent(http -> inst.redefineModule(http, Set.of(),
                Map.of(), Map.of("jdk.internal.net.http", Set.of(agent)), Set.of(), Map.of()));
        if (!definedInBootstrap(BRIDGE_CLASSES.get(0))) { // else attached before: the JDK's classes see this bridge
            Class<?> unsafeType = Class.forName("jdk.internal.misc.Unsafe");
            Object unsafe = unsafeType.getMethod("getUnsafe").invoke(null);
            Method define = unsafeType.getMethod("defineClass", String.class, byte[].class, int.class, int.class,
                    ClassLoader.class, ProtectionDomain.class);
            for (String name : BRIDGE_CLASSES) {
                byte[] bytes = classBytes(name);
                define.invoke(unsafe, name, bytes, 0, bytes.length, null, null);
            }
        }
        for (String name : BRIDGE_CLASSES) {
            // The agent's classes must see the boot loader's bridge. If its jar is also on the application's class
            // path and its classes were loaded before now (a CDS or AOT cache loads classes at startup), they see a
            // copy of their own, and no hook would ever reach them: say so rather than record nothing.
            if (Class.forName(name, false, BootstrapInjector.class.getClassLoader()).getClassLoader() != null) {
                throw new IllegalStateException("its classes were loaded from the application's class path before"
                        + " it started (by a class-data or AOT cache?); keep tls-agent.jar off the class path");
            }
        }
    }

    private static boolean definedInBootstrap(String name) {
        try {
            Class.forName(name, false, null);
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    private static byte[] classBytes(String name) throws IOException {
        String resource = name.replace('.', '/') + ".class";
        try (InputStream in = BootstrapInjector.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException(resource + " is missing from the agent jar");
            }
            return in.readAllBytes();
        }
    }
}
