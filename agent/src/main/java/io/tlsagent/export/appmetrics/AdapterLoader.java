package io.tlsagent.export.appmetrics;

import io.tlsagent.bootstrap.MicrometerEvents;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.HashMap;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarInputStream;

/**
 * Defines the adapter ({@code io.tlsagent.micrometer.MicrometerAdapter}, module micrometer-adapter) next to one copy
 * of the application's Micrometer: in a class loader of its own whose parent is the loader of that copy, so it links
 * against the application's Micrometer and version, and goes away with it (nothing is injected into the
 * application's loader). Its bytes come from a jar nested in the agent's jar, which the shade plugin copies as it
 * is: as a class of the agent jar, its Micrometer references would be relocated to the agent's own copy.
 */
final class AdapterLoader {

    static final String RESOURCE = "META-INF/tls-agent/micrometer-adapter.jar";
    private static final String ADAPTER = "io.tlsagent.micrometer.MicrometerAdapter";
    private static final String BRIDGE = "io.tlsagent.bootstrap.";

    private final Map<String, byte[]> classes;

    private AdapterLoader(Map<String, byte[]> classes) {
        this.classes = classes;
    }

    /** The adapter's classes, from the agent's jar. */
    static AdapterLoader fromAgentJar() throws IOException {
        Map<String, byte[]> classes = new HashMap<>();
        try (InputStream in = AdapterLoader.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IOException(RESOURCE + " is missing from the agent jar");
            }
            try (JarInputStream jar = new JarInputStream(in)) {
                for (JarEntry e = jar.getNextJarEntry(); e != null; e = jar.getNextJarEntry()) {
                    String name = e.getName();
                    if (name.endsWith(".class") && !name.endsWith("module-info.class")) {
                        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                        jar.transferTo(bytes);
                        classes.put(name.substring(0, name.length() - 6).replace('/', '.'), bytes.toByteArray());
                    }
                }
            }
        }
        if (!classes.containsKey(ADAPTER)) {
            throw new IOException(RESOURCE + " has no " + ADAPTER);
        }
        return new AdapterLoader(classes);
    }

    /** A new adapter for the copy of Micrometer whose {@code Metrics} class this is. */
    MicrometerEvents.Adapter define(Class<?> metrics, long[] bucketNanos) throws ReflectiveOperationException {
        Class<?> adapter = new Child(metrics.getClassLoader(), classes).loadClass(ADAPTER);
        return (MicrometerEvents.Adapter) adapter.getConstructor(long[].class).newInstance((Object) bucketNanos);
    }

    /** Micrometer from the application's loader, the bridge from the boot loader, the adapter from its bytes. */
    private static final class Child extends ClassLoader {
        static {
            registerAsParallelCapable();
        }

        private final Map<String, byte[]> classes;

        Child(ClassLoader parent, Map<String, byte[]> classes) {
            super(parent);
            this.classes = classes;
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (name.startsWith(BRIDGE)) {
                return Class.forName(name, false, null); // also under loaders that do not delegate (OSGi)
            }
            if (classes.containsKey(name)) {
                synchronized (getClassLoadingLock(name)) {
                    Class<?> c = findLoadedClass(name);
                    return c != null ? c : findClass(name);
                }
            }
            return super.loadClass(name, resolve);
        }

        @Override
        protected Class<?> findClass(String name) throws ClassNotFoundException {
            byte[] bytes = classes.get(name);
            if (bytes == null) {
                throw new ClassNotFoundException(name);
            }
            return defineClass(name, bytes, 0, bytes.length);
        }
    }
}
