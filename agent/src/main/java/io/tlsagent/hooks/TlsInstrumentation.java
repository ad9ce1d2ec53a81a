package io.tlsagent.hooks;

import static net.bytebuddy.matcher.ElementMatchers.isAbstract;
import static net.bytebuddy.matcher.ElementMatchers.isConstructor;
import static net.bytebuddy.matcher.ElementMatchers.isStatic;
import static net.bytebuddy.matcher.ElementMatchers.nameStartsWith;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.namedOneOf;
import static net.bytebuddy.matcher.ElementMatchers.not;
import static net.bytebuddy.matcher.ElementMatchers.returns;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import io.tlsagent.bootstrap.TlsBridge;
import io.tlsagent.util.AgentErrors;
import java.lang.instrument.Instrumentation;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLSocket;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.agent.builder.ResettableClassFileTransformer;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.asm.AsmVisitorWrapper;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.matcher.ElementMatcher;
import net.bytebuddy.utility.JavaModule;

/**
 * Where the agent hooks TLS. SunJSSE, the JDK's own implementation, deeply: six places in
 * {@code sun.security.ssl}, present in JDK 11 to 25. Every other {@code SSLEngine} and {@code SSLSocket}
 * through the public API (and SunJSSE too, when its internals are not as expected): the constructors of the two
 * JSSE base classes report each new object, and the first of a class gets its class hooked
 * ({@link ProviderClasses}). Classes already loaded (late attach, or TLS used before the agent started) are
 * retransformed.
 */
public final class TlsInstrumentation {

    private static final String SUN_JSSE = "sun.security.ssl.";

    private TlsInstrumentation() {}

    /** Installs the advice; returns the transformer so that detaching can remove it again. */
    public static ResettableClassFileTransformer install(Instrumentation inst, AgentErrors errors,
            HookDispatcher hooks) {
        boolean sunJsseDeep = hooks.sunJsseUsable();
        ProviderClasses providers = hooks.providerClasses();
        AgentBuilder.RawMatcher hookedEngine = (type, loader, module, redefined, domain) ->
                providers.isHooked(redefined) && SSLEngine.class.isAssignableFrom(redefined);
        AgentBuilder.RawMatcher hookedSocket = (type, loader, module, redefined, domain) ->
                providers.isHooked(redefined) && SSLSocket.class.isAssignableFrom(redefined);
        // Only by name or by the classes hooked, never by hierarchy: class loading stays as cheap as without us.
        AgentBuilder.RawMatcher ignored = (type, loader, module, redefined, domain) ->
                !(type.getName().startsWith(SUN_JSSE) || isBaseClass(type.getName()) || providers.isHooked(redefined));
        // Advice is inlined, so Byte Buddy never has to inject classes: keep it off sun.misc.Unsafe, which JDK 24+
        // warns about on the application's stderr. The shade plugin relocates these names to our copy's own.
        System.setProperty("net.bytebuddy.nexus.disabled", "true");
        System.setProperty("net.bytebuddy.safe", "true");
        AgentBuilder builder = new AgentBuilder.Default(new ByteBuddy())
                .disableClassFormatChanges()
                .with(AgentBuilder.RedefinitionStrategy.RETRANSFORMATION)
                .with(AgentBuilder.TypeStrategy.Default.DECORATE)
                .with(AgentBuilder.InitializationStrategy.NoOp.INSTANCE)
                .with(new Failures(errors))
                .ignore(ignored)
                .assureReadEdgeFromAndTo(inst, TlsBridge.class)
                .type(namedOneOf(SSLEngine.class.getName(), SSLSocket.class.getName()))
                .transform(advice(PublicApiAdvice.Created.class, isConstructor()))
                .type(hookedEngine)
                .transform(advice(PublicApiAdvice.EngineResult.class, namedOneOf("wrap", "unwrap")
                        .and(returns(SSLEngineResult.class)).and(not(isAbstract()))))
                .type(hookedSocket)
                .transform(advice(PublicApiAdvice.StartHandshake.class,
                        named("startHandshake").and(takesArguments(0)).and(not(isAbstract()))));
        if (sunJsseDeep) {
            builder = builder
                    .type(named(SUN_JSSE + "TransportContext"))
                    .transform(advice(SunJsseAdvice.Finish.class, named("finishHandshake").and(takesArguments(0))))
                    .transform(advice(SunJsseAdvice.Fatal.class, named("fatal").and(takesArguments(4))
                            .and(takesArgument(2, boolean.class)).and(takesArgument(3, Throwable.class))))
                    .type(named(SUN_JSSE + "HandshakeContext"))
                    .transform(advice(SunJsseAdvice.InboundMessage.class, named("dispatch").and(takesArguments(2))
                            .and(takesArgument(0, byte.class))
                            .and(takesArgument(1, named(SUN_JSSE + "Plaintext")))))
                    .type(named(SUN_JSSE + "SSLHandshake$HandshakeMessage"))
                    .transform(advice(SunJsseAdvice.OutboundMessage.class, named("write").and(takesArguments(1))
                            .and(takesArgument(0, named(SUN_JSSE + "HandshakeOutStream")))))
                    .type(namedOneOf(SUN_JSSE + "CertificateMessage$T12CertificateConsumer",
                            SUN_JSSE + "CertificateMessage$T13CertificateConsumer"))
                    .transform(advice(SunJsseAdvice.TrustCheck.class,
                            namedOneOf("checkServerCerts", "checkClientCerts").and(isStatic())
                                    .and(takesArgument(0, nameStartsWith(SUN_JSSE)))))
                    .type(named(SUN_JSSE + "SSLEngineImpl"))
                    .transform(advice(SunJsseAdvice.EngineCloseInbound.class,
                            named("closeInbound").and(takesArguments(0))));
        }
        return builder.installOn(inst);
    }

    private static boolean isBaseClass(String name) {
        return name.equals(SSLEngine.class.getName()) || name.equals(SSLSocket.class.getName());
    }

    private static AgentBuilder.Transformer advice(Class<?> advice,
            ElementMatcher<? super MethodDescription> method) {
        AsmVisitorWrapper visitor = Advice.to(advice).on(method);
        return (builder, type, loader, module, domain) -> builder.visit(visitor);
    }

    /** Says once that a class could not be instrumented; TLS then simply runs without that hook. */
    private static final class Failures extends AgentBuilder.Listener.Adapter {
        private final AgentErrors errors;

        Failures(AgentErrors errors) {
            this.errors = errors;
        }

        @Override
        public void onError(String typeName, ClassLoader loader, JavaModule module, boolean loaded,
                Throwable throwable) {
            errors.record("instrumenting " + typeName, throwable);
        }
    }
}
