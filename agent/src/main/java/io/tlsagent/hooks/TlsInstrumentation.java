package io.tlsagent.hooks;

import static net.bytebuddy.matcher.ElementMatchers.any;
import static net.bytebuddy.matcher.ElementMatchers.isAbstract;
import static net.bytebuddy.matcher.ElementMatchers.isInterface;
import static net.bytebuddy.matcher.ElementMatchers.isSubTypeOf;
import static net.bytebuddy.matcher.ElementMatchers.isSynthetic;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.nameStartsWith;
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
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;
import net.bytebuddy.utility.JavaModule;

/**
 * Where the agent hooks TLS. SunJSSE, the JDK's own implementation, deeply: five methods in
 * {@code sun.security.ssl}, present in JDK 11 to 25. Every other {@code SSLEngine} and {@code SSLSocket}
 * through the public API (and SunJSSE too, when its internals are not as expected). Classes already loaded
 * (late attach, or TLS used before the agent started) are retransformed.
 */
public final class TlsInstrumentation {

    private static final String SUN_JSSE = "sun.security.ssl.";

    private TlsInstrumentation() {}

    /** Installs the advice; returns the transformer so that detaching can remove it again. */
    public static ResettableClassFileTransformer install(Instrumentation inst, AgentErrors errors,
            boolean sunJsseDeep) {
        // Advice is inlined, so Byte Buddy never has to inject classes: keep it off sun.misc.Unsafe, which JDK 24+
        // warns about on the application's stderr. The shade plugin relocates these names to our copy's own.
        System.setProperty("net.bytebuddy.nexus.disabled", "true");
        System.setProperty("net.bytebuddy.safe", "true");
        ElementMatcher.Junction<TypeDescription> otherProviders = sunJsseDeep ? not(nameStartsWith(SUN_JSSE)) : any();
        AgentBuilder builder = new AgentBuilder.Default(new ByteBuddy())
                .disableClassFormatChanges()
                .with(AgentBuilder.RedefinitionStrategy.RETRANSFORMATION)
                .with(AgentBuilder.TypeStrategy.Default.DECORATE)
                .with(AgentBuilder.InitializationStrategy.NoOp.INSTANCE)
                .with(new Failures(errors))
                .ignore(nameStartsWith("java.").or(nameStartsWith("javax.")).or(nameStartsWith("jdk."))
                        .or(nameStartsWith("com.sun.")).or(nameStartsWith("sun.").and(not(nameStartsWith(SUN_JSSE))))
                        .or(nameStartsWith("io.tlsagent.")).or(isSynthetic()))
                .assureReadEdgeFromAndTo(inst, TlsBridge.class)
                .type(isSubTypeOf(SSLEngine.class).and(not(isInterface())).and(otherProviders))
                .transform(advice(PublicApiAdvice.EngineResult.class, namedOneOf("wrap", "unwrap")
                        .and(returns(SSLEngineResult.class)).and(not(isAbstract()))))
                .type(isSubTypeOf(SSLSocket.class).and(not(isInterface())).and(otherProviders))
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
                    .type(named(SUN_JSSE + "SSLEngineImpl"))
                    .transform(advice(SunJsseAdvice.EngineCloseInbound.class,
                            named("closeInbound").and(takesArguments(0))));
        }
        return builder.installOn(inst);
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
