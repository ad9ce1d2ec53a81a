package io.tlsagent.capture;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.net.SocketAddress;

/**
 * Reads the objects a library hands to {@link ConnectionCapture}: its getters (or, where it has none, its fields)
 * found once per class by exact names, in the class loader of the object at hand. Anything missing (another
 * version, a class loader that does not see the type, a module that does not open it) gives null: that library is
 * then simply not bound, and its records are as before.
 */
final class LibraryAccess {

    private static final MethodType GETTER = MethodType.methodType(Object.class, Object.class);

    private LibraryAccess() {}

    /** The type named {@code name} if {@code type} is it or extends it, as {@code type}'s class loader sees it. */
    static Class<?> supertype(Class<?> type, String name) {
        try {
            Class<?> owner = Class.forName(name, false, type.getClassLoader());
            return owner.isAssignableFrom(type) ? owner : null;
        } catch (ClassNotFoundException | LinkageError | SecurityException e) {
            return null;
        }
    }

    /** The public no-argument method {@code name} of the public type {@code owner}, as an {@code (Object)Object}. */
    static MethodHandle method(Class<?> owner, String name, Class<?> returns) {
        if (owner == null) {
            return null;
        }
        try {
            return MethodHandles.publicLookup().findVirtual(owner, name, MethodType.methodType(returns))
                    .asType(GETTER);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    /** The public no-argument method {@code name} of the type named {@code owner} that {@code type} extends. */
    static MethodHandle method(Class<?> type, String owner, String name, Class<?> returns) {
        return method(supertype(type, owner), name, returns);
    }

    /** A method returning a {@link SocketAddress}, as {@link #method(Class, String, String, Class)}. */
    static MethodHandle address(Class<?> type, String owner, String name) {
        return method(type, owner, name, SocketAddress.class);
    }

    /**
     * The field {@code name} declared by the type named {@code owner}, read even if it is private: the library's
     * package must be open to the agent (an unnamed module is; the agent opens the JDK's own where it reads them).
     */
    static MethodHandle field(Class<?> type, String owner, String name) {
        Class<?> declaring = supertype(type, owner);
        if (declaring == null) {
            return null;
        }
        try {
            Field f = declaring.getDeclaredField(name);
            return MethodHandles.privateLookupIn(declaring, MethodHandles.lookup()).unreflectGetter(f)
                    .asType(GETTER);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    /**
     * A public method that a class inherits from a type that is not public itself (as Netty's engines inherit
     * {@code getWrappedEngine()}), made callable; null if the class has none or it cannot be opened.
     */
    static MethodHandle inheritedMethod(Class<?> type, String name, Class<?> returns) {
        try {
            Method m = type.getMethod(name);
            if (m.getReturnType() != returns) {
                return null;
            }
            m.setAccessible(true);
            return MethodHandles.lookup().unreflect(m).asType(GETTER);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    /** {@code getter(target)}, or null when the getter is missing or throws (a closed channel, for instance). */
    static Object get(MethodHandle getter, Object target) {
        return SunJsse.get(getter, target); // the same reading as SunJSSE's fields
    }

    /** A connection object's two addresses, through its library's getters. */
    static final class Addresses {
        private final MethodHandle peer;
        private final MethodHandle local;

        Addresses(MethodHandle peer, MethodHandle local) {
            this.peer = peer;
            this.local = local;
        }

        /** Null when the library does not have these getters (or the remote end is not known yet). */
        ConnectionEnds read(Object connection) {
            if (peer == null) {
                return null;
            }
            Object remote = get(peer, connection);
            return remote == null ? null : ConnectionEnds.of((SocketAddress) remote, (SocketAddress) get(local, connection));
        }
    }
}
