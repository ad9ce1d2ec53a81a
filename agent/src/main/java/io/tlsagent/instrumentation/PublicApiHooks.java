package io.tlsagent.instrumentation;

import static net.bytebuddy.matcher.ElementMatchers.isAbstract;
import static net.bytebuddy.matcher.ElementMatchers.isConstructor;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.namedOneOf;
import static net.bytebuddy.matcher.ElementMatchers.not;
import static net.bytebuddy.matcher.ElementMatchers.returns;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import io.tlsagent.bootstrap.PublicApiEvents;
import java.util.List;
import java.util.Set;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLSocket;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.asm.AsmVisitorWrapper;

/**
 * Every TLS implementation other than SunJSSE (and SunJSSE too when its internals are not as expected), through the
 * public JSSE API: the constructors of the two JSSE base classes report each new engine or socket, and the first of
 * a class gets that class hooked ({@link ProviderClasses}). On the data path (after the handshake) the engine advice
 * costs one comparison of the result's handshake status: no allocation, no lock.
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

    /** Every concrete {@code wrap}/{@code unwrap} of a hooked engine class. */
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
            return AdviceClasses.of(Result.class).on(namedOneOf("wrap", "unwrap").and(returns(SSLEngineResult.class))
                    .and(not(isAbstract())));
        }

        static final class Result {
            @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
            static void exit(@Advice.This SSLEngine engine, @Advice.Return SSLEngineResult result,
                    @Advice.Thrown Throwable thrown) {
                if (thrown == null && (result == null
                        || result.getHandshakeStatus() == SSLEngineResult.HandshakeStatus.NOT_HANDSHAKING)) {
                    return; // the data path: nothing more
                }
                PublicApiEvents events = PublicApiEvents.current;
                if (events == null) {
                    return;
                }
                if (thrown != null) {
                    events.engineFailed(engine, thrown, System.nanoTime());
                } else {
                    events.engineHandshakeStatus(engine, result.getHandshakeStatus(), System.nanoTime());
                }
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
