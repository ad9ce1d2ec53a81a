package io.tlsagent.runtime;

import io.tlsagent.util.AgentLog;
import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.security.ProtectionDomain;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Lets {@code premain} return at once: the agent starts on a daemon thread, and until its hooks are in place any
 * other thread that loads {@code javax.net.ssl.SSLContext}, or a class of an application or library that extends
 * {@code SSLEngine} or {@code SSLSocket} directly, waits for them. Every TLS connection through JSSE needs an
 * {@code SSLContext}, and a provider that makes its engines without one still loads its engine class first, so
 * no handshake can begin before the hooks: the application reaches {@code main} without paying for Byte Buddy,
 * and its first handshake is recorded as if the agent had started synchronously.
 *
 * <p>The starting thread itself never waits here, loads no {@code SSLContext} before the hooks are in place (the
 * HTTPS endpoint, which does, starts after them) and no class of the application's, so the wait cannot be
 * circular. The bounded wait is only a safety net.
 */
public final class StartGate implements ClassFileTransformer {

    private static final String GATE_CLASS = "javax/net/ssl/SSLContext";
    private static final String ENGINE = "javax/net/ssl/SSLEngine";
    private static final String SOCKET = "javax/net/ssl/SSLSocket";
    private static final long MAX_WAIT_SECONDS = 30;

    private final CountDownLatch hooksInPlace = new CountDownLatch(1);
    private final Instrumentation inst;
    private volatile Thread starter;

    private StartGate(Instrumentation inst) {
        this.inst = inst;
    }

    /**
     * Runs {@code start} on a daemon thread behind the gate; {@code start} gets the action that opens the gate, to
     * run as soon as the hooks are installed (the gate also opens when {@code start} returns or fails). When JSSE
     * is already in use (another agent loaded it), the gate could not hold back a handshake: {@code start} then
     * runs right here, as before.
     */
    public static void startBehindGate(Instrumentation inst, Consumer<Runnable> start) {
        if (gateClassLoaded(inst)) {
            start.accept(() -> { });
            return;
        }
        StartGate gate = new StartGate(inst);
        inst.addTransformer(gate);
        Thread t = new Thread(() -> {
            try {
                start.accept(gate::open);
            } finally {
                gate.open();
            }
        }, "tls-agent-start");
        t.setDaemon(true);
        gate.starter = t;
        t.start();
    }

    /** Lets waiting threads (and all later ones) through. */
    private void open() {
        if (hooksInPlace.getCount() > 0) {
            hooksInPlace.countDown();
            inst.removeTransformer(this);
        }
    }

    @Override
    public byte[] transform(ClassLoader loader, String className, Class<?> redefined, ProtectionDomain domain,
            byte[] classfile) {
        if (redefined == null && hooksInPlace.getCount() > 0 && Thread.currentThread() != starter
                && (loader == null ? GATE_CLASS.equals(className) : extendsEngineOrSocket(classfile))) {
            awaitHooks();
        }
        return null;
    }

    private void awaitHooks() {
        try {
            if (!hooksInPlace.await(MAX_WAIT_SECONDS, TimeUnit.SECONDS)) {
                AgentLog.once("still starting after " + MAX_WAIT_SECONDS + " s; TLS goes on, and handshakes"
                        + " until the agent has started may go unrecorded");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Whether the class file's direct superclass is {@code SSLEngine} or {@code SSLSocket}; false if unreadable. */
    static boolean extendsEngineOrSocket(byte[] classfile) {
        try {
            String superName = superclassName(classfile);
            return ENGINE.equals(superName) || SOCKET.equals(superName);
        } catch (RuntimeException malformed) {
            return false; // the JVM will reject it; not ours to judge
        }
    }

    /** The internal name of a class file's direct superclass (JVMS 4.1, 4.4), or null (java.lang.Object). */
    static String superclassName(byte[] b) {
        int count = u2(b, 8);
        int[] offset = new int[count];
        int p = 10;
        for (int i = 1; i < count; i++) {
            offset[i] = p;
            switch (b[p]) {
                case 1: // Utf8
                    p += 3 + u2(b, p + 1);
                    break;
                case 5: // Long
                case 6: // Double: two entries
                    p += 9;
                    i++;
                    break;
                case 7: // Class
                case 8: // String
                case 16: // MethodType
                case 19: // Module
                case 20: // Package
                    p += 3;
                    break;
                case 15: // MethodHandle
                    p += 4;
                    break;
                case 3: // Integer
                case 4: // Float
                case 9: // Fieldref
                case 10: // Methodref
                case 11: // InterfaceMethodref
                case 12: // NameAndType
                case 17: // Dynamic
                case 18: // InvokeDynamic
                    p += 5;
                    break;
                default:
                    throw new IllegalArgumentException("constant pool tag " + b[p]);
            }
        }
        int superClass = u2(b, p + 4); // after access_flags and this_class
        if (superClass == 0) {
            return null;
        }
        int name = offset[u2(b, offset[superClass] + 1)];
        // Class names in these packages are plain ASCII, so modified UTF-8 reads as ISO-8859-1 for the comparison.
        return new String(b, name + 3, u2(b, name + 1), java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    private static int u2(byte[] b, int at) {
        return (b[at] & 0xff) << 8 | (b[at + 1] & 0xff);
    }

    private static boolean gateClassLoaded(Instrumentation inst) {
        String name = GATE_CLASS.replace('/', '.');
        for (Class<?> c : inst.getAllLoadedClasses()) {
            if (c.getClassLoader() == null && c.getName().equals(name)) {
                return true;
            }
        }
        return false;
    }
}
