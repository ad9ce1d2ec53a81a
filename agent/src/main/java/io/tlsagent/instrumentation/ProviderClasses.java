package io.tlsagent.instrumentation;

import io.tlsagent.util.AgentErrors;
import java.lang.instrument.Instrumentation;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSocket;

/**
 * The {@code SSLEngine} and {@code SSLSocket} classes of other TLS implementations, found when their first
 * instance is constructed and then hooked by retransformation. This keeps the cost off class loading: no class
 * hierarchy is examined until a TLS object exists. Wrappers that delegate to another engine or socket (they
 * hold one in a field) are not hooked: the object they wrap is observed itself.
 */
public final class ProviderClasses {

    private static final int MAX_CLASSES = 256;

    private final Instrumentation inst;
    /** Set once, before the gate opens (no engine exists yet): SunJSSE's own classes then have their deep hooks. */
    private volatile boolean sunJsseDeep;
    private final AgentErrors errors;
    /** Each hooked class: true for an engine's, false for a socket's. */
    private final Map<Class<?>, Boolean> hooked = new ConcurrentHashMap<>();
    private final ClassValue<Boolean> seen = new ClassValue<Boolean>() {
        @Override
        protected Boolean computeValue(Class<?> type) {
            register(type);
            return Boolean.TRUE;
        }
    };

    public ProviderClasses(Instrumentation inst, AgentErrors errors) {
        this.inst = inst;
        this.errors = errors;
    }

    /**
     * SunJSSE's internals are as its deep hooks expect ({@link SunJsseHooks}): its engines and sockets are not hooked
     * again through the public API. Decided after the hooks are installed (reading SunJSSE loads its classes).
     */
    public void sunJsseHookedDeeply() {
        sunJsseDeep = true;
    }

    /** The classes hooked so far (detach restores them). */
    List<Class<?>> hooked() {
        return new ArrayList<>(hooked.keySet());
    }

    /**
     * Whether the transformer should add the engine advice to this class (the socket advice: false). Asked while a
     * class is transformed, so it names no class: one loaded there would never be transformed itself.
     */
    boolean isHookedEngine(Class<?> type) {
        return type != null && Boolean.TRUE.equals(hooked.get(type));
    }

    /** Whether the transformer should add the socket advice to this class; see {@link #isHookedEngine}. */
    boolean isHookedSocket(Class<?> type) {
        return type != null && Boolean.FALSE.equals(hooked.get(type));
    }

    /** Called for each new engine or socket: cheap after the first of a class. */
    public void created(Object engineOrSocket) {
        seen.get(engineOrSocket.getClass());
    }

    private synchronized void register(Class<?> type) {
        Class<?> base = SSLEngine.class.isAssignableFrom(type) ? SSLEngine.class : SSLSocket.class;
        if ((sunJsseDeep && type.getName().startsWith("sun.security.ssl.")) || holdsA(type, base)
                || hooked.size() >= MAX_CLASSES) {
            return;
        }
        List<Class<?>> added = new ArrayList<>();
        for (Class<?> c = type; c != null && c != base; c = c.getSuperclass()) {
            if (hooked.putIfAbsent(c, base == SSLEngine.class) == null) {
                added.add(c);
            }
        }
        try {
            TlsInstrumentation.readsTheBridge(inst, type.getModule());
            inst.retransformClasses(added.toArray(new Class<?>[0]));
        } catch (Throwable t) {
            errors.record("hooking " + type.getName(), t);
        }
    }

    /** Whether a class (or a superclass below the JSSE type) keeps an engine or socket it delegates to. */
    static boolean holdsA(Class<?> type, Class<?> delegate) {
        for (Class<?> c = type; c != null && c != delegate && c != Object.class; c = c.getSuperclass()) {
            for (Field f : c.getDeclaredFields()) {
                if (!Modifier.isStatic(f.getModifiers()) && delegate.isAssignableFrom(f.getType())) {
                    return true;
                }
            }
        }
        return false;
    }
}
