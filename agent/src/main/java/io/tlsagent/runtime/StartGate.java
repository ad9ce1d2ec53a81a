package io.tlsagent.runtime;

import io.tlsagent.util.AgentLog;
import io.tlsagent.util.ClassFiles;
import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.security.ProtectionDomain;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Lets {@code premain} return at once: the agent starts on a daemon thread, and until its hooks are in place any
 * other thread that loads {@code javax.net.ssl.SSLContext} (or {@code KeyManagerFactory}, {@code TrustManagerFactory}),
 * or a class of an application or library that extends
 * {@code SSLEngine} or {@code SSLSocket} directly, waits for them. Every TLS connection through JSSE needs an
 * {@code SSLContext}, and a provider that makes its engines without one still loads its engine class first, so
 * no handshake can begin before the hooks: the application reaches {@code main} without paying for Byte Buddy,
 * and its first handshake is recorded as if the agent had started synchronously.
 *
 * <p>The starting thread itself never waits here, loads no {@code SSLContext} before the hooks are in place (the
 * HTTPS endpoint, which does, starts after them) and no class of the application's, so the wait cannot be
 * circular. The bounded wait (30 s) is only a safety net: when it fires, the gate opens for everyone, says so
 * once, and the agent counts it in {@code tls_agent_errors_total} when it has started.
 */
public final class StartGate implements ClassFileTransformer {

    /** Said once, and counted in tls_agent_errors_total when the agent has started, if the bound fired. */
    static final String BOUND_FIRED = "still starting after %d ms; TLS goes on without waiting, and handshakes"
            + " until the agent is up may go unrecorded";
    /** Test switches: {@code off} starts the agent on its thread without a gate (the test shows what that loses). */
    static final String TEST_GATE = "io.tlsagent.test.gate";
    /** Test switch: the bound in milliseconds instead of 30 s. */
    static final String TEST_BOUND = "io.tlsagent.test.gate.millis";
    /** Test switch: the starting thread sleeps this many milliseconds first (a slow start, made certain). */
    static final String TEST_DELAY = "io.tlsagent.test.start.delay.millis";

    private static final String GATE_CLASS = "javax/net/ssl/SSLContext";
    /** Held back too: a key store handed to them before the hooks would go unseen (KeyMaterialHooks). */
    private static final Set<String> KEY_MATERIAL_CLASSES =
            Set.of("javax/net/ssl/KeyManagerFactory", "javax/net/ssl/TrustManagerFactory");
    private static final String ENGINE = "javax/net/ssl/SSLEngine";
    private static final String SOCKET = "javax/net/ssl/SSLSocket";
    private static final long BOUND_MILLIS = 30_000;

    private final CountDownLatch hooksInPlace = new CountDownLatch(1);
    private final Instrumentation inst;
    private final long boundMillis;
    private volatile Thread starter;
    private volatile boolean boundFired;

    private StartGate(Instrumentation inst, long boundMillis) {
        this.inst = inst;
        this.boundMillis = boundMillis;
    }

    /**
     * Runs {@code start} on a daemon thread behind the gate; {@code start} gets the gate, to {@link #open} as soon as
     * the hooks are installed (it also opens when {@code start} returns or fails). When JSSE is already in use
     * (another agent loaded it), the gate could not hold back a handshake: {@code start} then runs right here, as
     * before, without a gate (null).
     */
    public static void startBehindGate(Instrumentation inst, Consumer<StartGate> start) {
        if (gateClassLoaded(inst)) {
            start.accept(null);
            return;
        }
        StartGate gate = "off".equals(System.getProperty(TEST_GATE)) ? null
                : new StartGate(inst, Long.getLong(TEST_BOUND, BOUND_MILLIS));
        if (gate != null) {
            inst.addTransformer(gate);
        }
        long delayMillis = Long.getLong(TEST_DELAY, 0);
        Thread t = new Thread(() -> {
            try {
                if (delayMillis > 0) {
                    Thread.sleep(delayMillis);
                }
                start.accept(gate);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                if (gate != null) {
                    gate.open();
                }
            }
        }, "tls-agent-start");
        t.setDaemon(true);
        if (gate != null) {
            gate.starter = t;
        }
        t.start();
    }

    /**
     * Lets waiting threads (and all later ones) through. Returns whether the bound had fired before (TLS was let
     * through without the hooks), so that the agent counts it.
     */
    public boolean open() {
        if (hooksInPlace.getCount() > 0) {
            hooksInPlace.countDown();
            inst.removeTransformer(this);
        }
        return boundFired;
    }

    long boundMillis() {
        return boundMillis;
    }

    @Override
    public byte[] transform(ClassLoader loader, String className, Class<?> redefined, ProtectionDomain domain,
            byte[] classfile) {
        if (redefined == null && hooksInPlace.getCount() > 0 && Thread.currentThread() != starter
                && (loader == null ? GATE_CLASS.equals(className) || KEY_MATERIAL_CLASSES.contains(className)
                        : extendsEngineOrSocket(classfile))) {
            awaitHooks();
        }
        return null;
    }

    private void awaitHooks() {
        try {
            if (!hooksInPlace.await(boundMillis, TimeUnit.MILLISECONDS)) {
                // Said once; from now on nobody waits: the application goes on as without the agent.
                boundFired = true;
                AgentLog.once(String.format(BOUND_FIRED, boundMillis));
                open();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Whether the class file's direct superclass is {@code SSLEngine} or {@code SSLSocket}; false if unreadable. */
    static boolean extendsEngineOrSocket(byte[] classfile) {
        try {
            String superName = ClassFiles.superclassName(classfile);
            return ENGINE.equals(superName) || SOCKET.equals(superName);
        } catch (RuntimeException malformed) {
            return false; // the JVM will reject it; not ours to judge
        }
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
