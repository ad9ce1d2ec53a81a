package io.tlsagent.instrumentation;

import static net.bytebuddy.matcher.ElementMatchers.isAbstract;
import static net.bytebuddy.matcher.ElementMatchers.isConstructor;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.namedOneOf;
import static net.bytebuddy.matcher.ElementMatchers.not;
import static net.bytebuddy.matcher.ElementMatchers.returns;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import io.tlsagent.bootstrap.PublicApiEvents;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Set;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLSocket;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.asm.AsmVisitorWrapper;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * Every TLS implementation other than SunJSSE (and SunJSSE too when its internals are not as expected), through the
 * public JSSE API: the constructors of the two JSSE base classes report each new engine or socket, and the first of
 * a class gets that class hooked ({@link ProviderClasses}). On the data path (after the handshake) the engine advice
 * costs one comparison of the result's handshake status (and, for the multi-buffer unwraps, reading the buffers'
 * positions at entry: into stack slots for up to four, into a per-thread array for more): no lock, and no allocation
 * but that array's growth, once per thread and size.
 */
final class PublicApiHooks {

    private PublicApiHooks() {}

    static List<TypeHook> all(ProviderClasses providers) {
        return List.of(new BaseClasses(), new Engines(providers), new Sockets(providers));
    }

    /** {@code javax.net.ssl.SSLEngine} and {@code SSLSocket}: their constructors, which every implementation calls. */
    static final class BaseClasses implements TypeHook {
        // Names, not class literals: matching must load nothing (SSLEngine is hooked as it loads).
        private static final Set<String> NAMES = Set.of("javax.net.ssl.SSLEngine", "javax.net.ssl.SSLSocket");
        private static final Set<String> INTERNAL_NAMES = Set.of("javax/net/ssl/SSLEngine", "javax/net/ssl/SSLSocket");

        @Override
        public boolean matches(String internalName, ClassLoader loader, Class<?> redefined) {
            return loader == null && INTERNAL_NAMES.contains(internalName);
        }

        @Override
        public Set<String> jdkClasses() {
            return NAMES;
        }

        @Override
        public AsmVisitorWrapper advice() {
            return AdviceClasses.of(Created.class).on(isConstructor());
        }

        static final class Created {
            @Advice.OnMethodExit(suppress = Throwable.class)
            static void exit(@Advice.This Object engineOrSocket) {
                PublicApiEvents events = PublicApiEvents.current;
                if (events != null) {
                    events.tlsObjectCreated(engineOrSocket);
                }
            }
        }
    }

    /**
     * Every concrete {@code wrap}/{@code unwrap} of a hooked engine class: the handshake's status and, while it
     * handshakes, where the bytes it produced or consumed are (the capture reads the plaintext handshake records
     * there). One advice per shape of arguments, so that each reads its buffer without an array of all arguments.
     */
    static final class Engines implements TypeHook {
        private final ProviderClasses providers;

        Engines(ProviderClasses providers) {
            this.providers = providers;
        }

        @Override
        public boolean matches(String internalName, ClassLoader loader, Class<?> redefined) {
            return providers.isHookedEngine(redefined);
        }

        @Override
        public Set<String> jdkClasses() {
            return Set.of();
        }

        @Override
        public AsmVisitorWrapper advice() {
            ElementMatcher.Junction<MethodDescription> results = returns(SSLEngineResult.class).and(not(isAbstract()));
            ElementMatcher.Junction<MethodDescription> wrap = named("wrap").and(results);
            ElementMatcher.Junction<MethodDescription> unwrap = named("unwrap").and(results);
            ElementMatcher.Junction<MethodDescription> wrapInto2 = wrap.and(takesArguments(2))
                    .and(takesArgument(1, ByteBuffer.class));
            ElementMatcher.Junction<MethodDescription> wrapInto4 = wrap.and(takesArguments(4))
                    .and(takesArgument(3, ByteBuffer.class));
            ElementMatcher.Junction<MethodDescription> unwrapFrom = unwrap.and(takesArgument(0, ByteBuffer.class));
            ElementMatcher.Junction<MethodDescription> unwrapArrays2 = unwrap.and(takesArguments(2))
                    .and(takesArgument(0, ByteBuffer[].class));
            ElementMatcher.Junction<MethodDescription> unwrapArrays6 = unwrap.and(takesArguments(6))
                    .and(takesArgument(0, ByteBuffer[].class));
            return new AsmVisitorWrapper.ForDeclaredMethods()
                    .method(wrapInto2, AdviceClasses.of(WrapInto2.class))
                    .method(wrapInto4, AdviceClasses.of(WrapInto4.class))
                    .method(unwrapFrom, AdviceClasses.of(UnwrapFrom.class))
                    .method(unwrapArrays2, AdviceClasses.of(UnwrapArrays2.class))
                    .method(unwrapArrays6, AdviceClasses.of(UnwrapArrays6.class))
                    .method(namedOneOf("wrap", "unwrap").and(results)
                            .and(not(wrapInto2.or(wrapInto4).or(unwrapFrom).or(unwrapArrays2).or(unwrapArrays6))),
                            AdviceClasses.of(StatusOnly.class));
        }

        /** {@code wrap(src or srcs, ByteBuffer dst)}. */
        static final class WrapInto2 {
            @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
            static void exit(@Advice.This SSLEngine engine, @Advice.Argument(1) ByteBuffer dst,
                    @Advice.Return SSLEngineResult result, @Advice.Thrown Throwable thrown) {
                if (thrown == null && (result == null
                        || result.getHandshakeStatus() == SSLEngineResult.HandshakeStatus.NOT_HANDSHAKING)) {
                    return; // the data path: nothing more
                }
                PublicApiEvents.engineReturned(engine, result, thrown, true, dst);
            }
        }

        /** {@code wrap(ByteBuffer[] srcs, int offset, int length, ByteBuffer dst)}. */
        static final class WrapInto4 {
            @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
            static void exit(@Advice.This SSLEngine engine, @Advice.Argument(3) ByteBuffer dst,
                    @Advice.Return SSLEngineResult result, @Advice.Thrown Throwable thrown) {
                if (thrown == null && (result == null
                        || result.getHandshakeStatus() == SSLEngineResult.HandshakeStatus.NOT_HANDSHAKING)) {
                    return;
                }
                PublicApiEvents.engineReturned(engine, result, thrown, true, dst);
            }
        }

        /** {@code unwrap(ByteBuffer src, ...)}: the standard overloads. */
        static final class UnwrapFrom {
            @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
            static void exit(@Advice.This SSLEngine engine, @Advice.Argument(0) ByteBuffer src,
                    @Advice.Return SSLEngineResult result, @Advice.Thrown Throwable thrown) {
                if (thrown == null && (result == null
                        || result.getHandshakeStatus() == SSLEngineResult.HandshakeStatus.NOT_HANDSHAKING)) {
                    return;
                }
                PublicApiEvents.engineReturned(engine, result, thrown, false, src);
            }
        }

        /**
         * {@code unwrap(ByteBuffer[] srcs, ByteBuffer[] dsts)} (Netty's, Conscrypt's): the consumed bytes may span
         * buffers whose starting positions are gone at exit, so the first four are kept in locals at entry (stack
         * slots: no allocation); more, in a per-thread array of the bridge's.
         */
        static final class UnwrapArrays2 {
            @Advice.OnMethodEnter(suppress = Throwable.class)
            static void enter(@Advice.Argument(0) ByteBuffer[] srcs, @Advice.Local("p0") int p0,
                    @Advice.Local("p1") int p1, @Advice.Local("p2") int p2, @Advice.Local("p3") int p3) {
                int n = srcs.length;
                if (n > 4) {
                    PublicApiEvents.rememberStartPositions(srcs, 0, n);
                }
                p0 = n > 0 ? srcs[0].position() : 0;
                p1 = n > 1 ? srcs[1].position() : 0;
                p2 = n > 2 ? srcs[2].position() : 0;
                p3 = n > 3 ? srcs[3].position() : 0;
            }

            @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
            static void exit(@Advice.This SSLEngine engine, @Advice.Argument(0) ByteBuffer[] srcs,
                    @Advice.Local("p0") int p0, @Advice.Local("p1") int p1, @Advice.Local("p2") int p2,
                    @Advice.Local("p3") int p3, @Advice.Return SSLEngineResult result,
                    @Advice.Thrown Throwable thrown) {
                if (thrown == null && (result == null
                        || result.getHandshakeStatus() == SSLEngineResult.HandshakeStatus.NOT_HANDSHAKING)) {
                    return;
                }
                PublicApiEvents.engineUnwrapReturned(engine, result, thrown, srcs, 0, srcs.length, p0, p1, p2, p3);
            }
        }

        /** {@code unwrap(ByteBuffer[] srcs, int offset, int length, ByteBuffer[] dsts, int, int)}. */
        static final class UnwrapArrays6 {
            @Advice.OnMethodEnter(suppress = Throwable.class)
            static void enter(@Advice.Argument(0) ByteBuffer[] srcs, @Advice.Argument(1) int offset,
                    @Advice.Argument(2) int length, @Advice.Local("p0") int p0, @Advice.Local("p1") int p1,
                    @Advice.Local("p2") int p2, @Advice.Local("p3") int p3) {
                if (length > 4) {
                    PublicApiEvents.rememberStartPositions(srcs, offset, length);
                }
                p0 = length > 0 ? srcs[offset].position() : 0;
                p1 = length > 1 ? srcs[offset + 1].position() : 0;
                p2 = length > 2 ? srcs[offset + 2].position() : 0;
                p3 = length > 3 ? srcs[offset + 3].position() : 0;
            }

            @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
            static void exit(@Advice.This SSLEngine engine, @Advice.Argument(0) ByteBuffer[] srcs,
                    @Advice.Argument(1) int offset, @Advice.Argument(2) int length, @Advice.Local("p0") int p0,
                    @Advice.Local("p1") int p1, @Advice.Local("p2") int p2, @Advice.Local("p3") int p3,
                    @Advice.Return SSLEngineResult result, @Advice.Thrown Throwable thrown) {
                if (thrown == null && (result == null
                        || result.getHandshakeStatus() == SSLEngineResult.HandshakeStatus.NOT_HANDSHAKING)) {
                    return;
                }
                PublicApiEvents.engineUnwrapReturned(engine, result, thrown, srcs, offset, length, p0, p1, p2, p3);
            }
        }

        /** Any other overload (the JDK's {@code wrap} into several buffers): the status alone. */
        static final class StatusOnly {
            @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
            static void exit(@Advice.This SSLEngine engine, @Advice.Return SSLEngineResult result,
                    @Advice.Thrown Throwable thrown) {
                if (thrown == null && (result == null
                        || result.getHandshakeStatus() == SSLEngineResult.HandshakeStatus.NOT_HANDSHAKING)) {
                    return;
                }
                PublicApiEvents.engineReturned(engine, result, thrown, false, null);
            }
        }
    }

    /** {@code startHandshake()} of a hooked socket class. */
    static final class Sockets implements TypeHook {
        private final ProviderClasses providers;

        Sockets(ProviderClasses providers) {
            this.providers = providers;
        }

        @Override
        public boolean matches(String internalName, ClassLoader loader, Class<?> redefined) {
            return providers.isHookedSocket(redefined);
        }

        @Override
        public Set<String> jdkClasses() {
            return Set.of();
        }

        @Override
        public AsmVisitorWrapper advice() {
            return AdviceClasses.of(StartHandshake.class).on(named("startHandshake").and(takesArguments(0))
                    .and(not(isAbstract())));
        }

        static final class StartHandshake {
            @Advice.OnMethodEnter(suppress = Throwable.class)
            static long enter() {
                PublicApiEvents events = PublicApiEvents.current;
                if (events != null) {
                    events.socketHandshakeEntered();
                }
                return System.nanoTime();
            }

            @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
            static void exit(@Advice.This SSLSocket socket, @Advice.Enter long startNanos,
                    @Advice.Thrown Throwable thrown) {
                PublicApiEvents events = PublicApiEvents.current;
                if (events != null) {
                    events.socketHandshakeExited(socket, startNanos, thrown, System.nanoTime());
                }
            }
        }
    }
}
