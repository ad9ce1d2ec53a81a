package io.tlsagent.hooks;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.nameStartsWith;
import static net.bytebuddy.matcher.ElementMatchers.not;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import io.tlsagent.bootstrap.TlsBridge;
import io.tlsagent.util.AgentErrors;
import io.tlsagent.util.AgentLog;
import java.lang.instrument.Instrumentation;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.agent.builder.ResettableClassFileTransformer;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.asm.AsmVisitorWrapper;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.matcher.ElementMatcher;
import net.bytebuddy.utility.JavaModule;

/**
 * Where the agent hooks SunJSSE: five methods in {@code sun.security.ssl}, all present in JDK 11 to 25.
 * Classes already loaded (late attach, or TLS used before the agent started) are retransformed.
 */
public final class SunJsseInstrumentation {

    private SunJsseInstrumentation() {}

    /** Installs the advice; returns the transformer so that it can be removed again. */
    public static ResettableClassFileTransformer install(Instrumentation inst, AgentErrors errors) {
        // Advice is inlined, so Byte Buddy never has to inject classes: keep it off sun.misc.Unsafe, which JDK 24+
        // warns about on the application's stderr. The shade plugin relocates these names to our copy's own.
        System.setProperty("net.bytebuddy.nexus.disabled", "true");
        System.setProperty("net.bytebuddy.safe", "true");
        return new AgentBuilder.Default(new ByteBuddy())
                .disableClassFormatChanges()
                .with(AgentBuilder.RedefinitionStrategy.RETRANSFORMATION)
                .with(AgentBuilder.TypeStrategy.Default.DECORATE)
                .with(AgentBuilder.InitializationStrategy.NoOp.INSTANCE)
                .with(new Failures(errors))
                .ignore(not(nameStartsWith("sun.security.ssl.")))
                .assureReadEdgeFromAndTo(inst, TlsBridge.class)
                .type(named("sun.security.ssl.TransportContext"))
                .transform(advice(SunJsseAdvice.Finish.class, named("finishHandshake").and(takesArguments(0))))
                .transform(advice(SunJsseAdvice.Fatal.class, named("fatal").and(takesArguments(4))
                        .and(takesArgument(2, boolean.class)).and(takesArgument(3, Throwable.class))))
                .type(named("sun.security.ssl.HandshakeContext"))
                .transform(advice(SunJsseAdvice.InboundMessage.class, named("dispatch").and(takesArguments(2))
                        .and(takesArgument(0, byte.class))
                        .and(takesArgument(1, named("sun.security.ssl.Plaintext")))))
                .type(named("sun.security.ssl.SSLHandshake$HandshakeMessage"))
                .transform(advice(SunJsseAdvice.OutboundMessage.class, named("write").and(takesArguments(1))
                        .and(takesArgument(0, named("sun.security.ssl.HandshakeOutStream")))))
                .type(named("sun.security.ssl.SSLEngineImpl"))
                .transform(advice(SunJsseAdvice.EngineCloseInbound.class,
                        named("closeInbound").and(takesArguments(0))))
                .installOn(inst);
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
