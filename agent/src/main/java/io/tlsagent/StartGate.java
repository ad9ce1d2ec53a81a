package io.tlsagent;

import io.tlsagent.util.AgentLog;
import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.security.ProtectionDomain;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Lets {@code premain} return at once: the agent starts on a daemon thread, and until its hooks are in place any
 * other thread that loads {@code javax.net.ssl.SSLContext} waits for them. Every TLS connection through JSSE
 * (SunJSSE and the other providers alike) needs an {@code SSLContext}, so no handshake can begin before the
 * hooks: the application reaches {@code main} without paying for Byte Buddy, and its first handshake is recorded
 * as if the agent had started synchronously.
 *
 * <p>The starting thread itself never waits here, and it loads no {@code SSLContext} before the hooks are in
 * place (the HTTPS endpoint, which does, starts after them), so the wait cannot be circular. The bounded wait is
 * only a safety net.
 */
final class StartGate implements ClassFileTransformer {

    private static final String GATE_CLASS = "javax/net/ssl/SSLContext";
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
    static void startBehindGate(Instrumentation inst, Consumer<Runnable> start) {
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
        if (loader == null && redefined == null && GATE_CLASS.equals(className) && hooksInPlace.getCount() > 0
                && Thread.currentThread() != starter) {
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
