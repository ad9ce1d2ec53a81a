package io.tlsagent.instrumentation;

import static org.assertj.core.api.Assertions.assertThat;

import io.tlsagent.util.AgentErrors;
import io.tlsagent.util.ClassFiles;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.asm.AsmVisitorWrapper;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.dynamic.TypeResolutionStrategy;
import net.bytebuddy.dynamic.scaffold.MethodGraph;
import net.bytebuddy.dynamic.scaffold.TypeValidation;
import net.bytebuddy.implementation.Implementation;
import net.bytebuddy.pool.TypePool;
import org.junit.jupiter.api.Test;

/**
 * The weaver gives, byte for byte, what Byte Buddy's own {@code decorate} gives for each hook on each class it
 * applies to in this JDK (SunJSSE's, the JSSE base classes, and another provider's engine and sockets for the
 * public-API hooks), and the woven classes carry more code than before. Only bytes are compared: nothing is
 * installed or loaded.
 */
class HookTransformerTest {

    private static final ByteBuddy BYTE_BUDDY = new ByteBuddy()
            .with(TypeValidation.DISABLED)
            .with(MethodGraph.Compiler.ForDeclaredMethods.INSTANCE)
            .with(Implementation.Context.Disabled.Factory.INSTANCE);

    @Test
    void weavesWhatByteBuddysDecorateWeavesForEveryHookedJdkClass() {
        List<TypeHook> hooks = new ArrayList<>(SunJsseHooks.all());
        hooks.addAll(PublicApiHooks.all(new ProviderClasses(null, new AgentErrors())));
        int woven = 0;
        for (TypeHook hook : hooks) {
            for (String name : hook.jdkClasses()) {
                byte[] original = ClassFiles.ofJdkClass(name.replace('.', '/'));
                assertThat(original).as(name).isNotNull();
                assertSameAsByteBuddy(name, null, original, hook.advice());
                woven++;
            }
        }
        assertThat(woven).as("SunJSSE's seven classes, SSLEngine and SSLSocket").isEqualTo(9);
    }

    @Test
    void weavesWhatByteBuddysDecorateWeavesForAnotherProvidersEngineAndSockets() throws IOException {
        ProviderClasses providers = new ProviderClasses(null, new AgentErrors());
        List<TypeHook> publicApi = PublicApiHooks.all(providers);
        ClassLoader loader = org.bouncycastle.jsse.provider.BouncyCastleJsseProvider.class.getClassLoader();
        assertSameAsByteBuddy("org.bouncycastle.jsse.provider.ProvSSLEngine", loader,
                bytes(loader, "org/bouncycastle/jsse/provider/ProvSSLEngine"), publicApi.get(1).advice());
        assertSameAsByteBuddy("org.bouncycastle.jsse.provider.ProvSSLSocketDirect", loader,
                bytes(loader, "org/bouncycastle/jsse/provider/ProvSSLSocketDirect"), publicApi.get(2).advice());
    }

    @Test
    void weavesWhatByteBuddysDecorateWeavesForTheApplicationsMicrometer() throws IOException {
        // This test's class path has Micrometer unrelocated: the application's, as the hook sees it.
        ClassLoader loader = io.micrometer.core.instrument.Metrics.class.getClassLoader();
        assertThat(new MicrometerHooks().matches("io/micrometer/core/instrument/Metrics", loader, null)).isTrue();
        assertSameAsByteBuddy(MicrometerHooks.METRICS, loader, bytes(loader, "io/micrometer/core/instrument/Metrics"),
                new MicrometerHooks().advice());
    }

    private static void assertSameAsByteBuddy(String name, ClassLoader loader, byte[] original,
            AsmVisitorWrapper advice) {
        byte[] ours = HookTransformer.Weaver.weave(name, loader, original, List.of(advice));
        ClassFileLocator locator = new ClassFileLocator.Compound(ClassFileLocator.Simple.of(name, original),
                ClassFileLocator.ForClassLoader.of(loader));
        TypePool pool = TypePool.Default.of(locator);
        byte[] byteBuddys = BYTE_BUDDY.decorate(pool.describe(name).resolve(), locator).visit(advice)
                .make(TypeResolutionStrategy.Disabled.INSTANCE, pool).getBytes();
        assertThat(ours).as(name).isEqualTo(byteBuddys);
        assertThat(ours.length).as(name + " has the advice").isGreaterThan(original.length);
    }

    private static byte[] bytes(ClassLoader loader, String internalName) throws IOException {
        try (InputStream in = loader.getResourceAsStream(internalName + ".class")) {
            return in.readAllBytes();
        }
    }
}
