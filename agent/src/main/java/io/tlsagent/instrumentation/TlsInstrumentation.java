package io.tlsagent.instrumentation;

import io.tlsagent.bootstrap.ConnectionEvents;
import io.tlsagent.bootstrap.MicrometerEvents;
import io.tlsagent.bootstrap.PublicApiEvents;
import io.tlsagent.bootstrap.SunJsseEvents;
import io.tlsagent.util.AgentErrors;
import java.lang.instrument.Instrumentation;
import java.util.ArrayList;
import java.util.List;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.agent.builder.ResettableClassFileTransformer;
import net.bytebuddy.asm.AsmVisitorWrapper;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.utility.JavaModule;

/**
 * Where the agent hooks TLS: SunJSSE deeply ({@link SunJsseHooks}), every other implementation through the public
 * API ({@link PublicApiHooks}), and the libraries that pair engines with connections ({@link LibraryHook}). Classes already loaded (late attach, or TLS used before the agent started) are
 * retransformed. A new hooked type is a {@link TypeHook} in one of those files.
 */
public final class TlsInstrumentation {

    private TlsInstrumentation() {}

    /**
     * Installs the advice; returns the transformer so that detaching can remove it again. {@code sunJsseDeep}: whether
     * SunJSSE's internals are as the deep hooks expect (if not, SunJSSE is observed like any other provider);
     * {@code micrometer}: whether to find the application's Micrometer ({@link MicrometerHooks}).
     */
    public static ResettableClassFileTransformer install(Instrumentation inst, AgentErrors errors,
            ProviderClasses providers, boolean sunJsseDeep, boolean micrometer) {
        List<TypeHook> hooks = new ArrayList<>(PublicApiHooks.all(providers));
        hooks.addAll(LibraryHook.all());
        if (sunJsseDeep) {
            hooks.addAll(SunJsseHooks.all());
        }
        if (micrometer) {
            hooks.add(new MicrometerHooks());
        }
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
                .ignore((type, loader, module, loaded, domain) -> !anyMatches(hooks, type, loaded))
                .assureReadEdgeFromAndTo(inst, SunJsseEvents.class, PublicApiEvents.class, MicrometerEvents.class,
                        ConnectionEvents.class);
        for (TypeHook hook : hooks) {
            AsmVisitorWrapper advice = hook.advice();
            builder = builder.type((type, loader, module, loaded, domain) -> hook.matches(type, loaded))
                    .transform((b, type, loader, module, domain) -> b.visit(advice));
        }
        return builder.installOn(inst);
    }

    private static boolean anyMatches(List<TypeHook> hooks, TypeDescription type, Class<?> loaded) {
        for (TypeHook hook : hooks) {
            if (hook.matches(type, loaded)) {
                return true;
            }
        }
        return false;
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
