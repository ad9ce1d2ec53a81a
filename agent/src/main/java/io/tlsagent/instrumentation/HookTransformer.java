package io.tlsagent.instrumentation;

import io.tlsagent.util.AgentErrors;
import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import net.bytebuddy.ClassFileVersion;
import net.bytebuddy.asm.AsmVisitorWrapper;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.dynamic.scaffold.TypeInitializer;
import net.bytebuddy.implementation.Implementation;
import net.bytebuddy.implementation.auxiliary.AuxiliaryType;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.pool.TypePool;

/**
 * Puts the hooks' advice into the classes they name, as they load or when they are retransformed. Any other class
 * costs a few comparisons of its name: a JDK class is hooked by name, another provider's class by identity when it
 * is retransformed (see {@link ProviderClasses}), the application's Micrometer by its exact name. Byte Buddy is used for the one thing it must do, weaving
 * inlined advice into a class file (see {@link Weaver}).
 */
final class HookTransformer implements ClassFileTransformer {

    private final Instrumentation inst;
    private final List<TypeHook> hooks;
    private final AgentErrors errors;
    /** Each hook's advice, built the first time a class needs it (another provider's may never come). */
    private final Map<TypeHook, AsmVisitorWrapper> advice = new ConcurrentHashMap<>();

    HookTransformer(Instrumentation inst, List<TypeHook> hooks, AgentErrors errors) {
        this.inst = inst;
        this.hooks = List.copyOf(hooks);
        this.errors = errors;
    }

    @Override
    public byte[] transform(Module module, ClassLoader loader, String internalName, Class<?> redefined,
            ProtectionDomain domain, byte[] classfile) {
        if (internalName == null) {
            return null;
        }
        List<AsmVisitorWrapper> matched = null;
        for (TypeHook hook : hooks) {
            if (hook.matches(internalName, loader, redefined)) {
                if (matched == null) {
                    matched = new ArrayList<>(2);
                }
                matched.add(adviceOf(hook));
            }
        }
        if (matched == null) {
            return null;
        }
        String name = internalName.replace('/', '.');
        try {
            byte[] woven = Weaver.weave(name, loader, classfile, matched);
            if (module != null) {
                TlsInstrumentation.readsTheBridge(inst, module); // the advice calls it: a named module must read it
            }
            return woven;
        } catch (Throwable t) {
            // The class loads as it is: TLS runs without this hook.
            errors.record("instrumenting " + name, t);
            return null;
        }
    }

    /** Made outside any lock: making it loads classes, which come through here again. */
    private AsmVisitorWrapper adviceOf(TypeHook hook) {
        AsmVisitorWrapper a = advice.get(hook);
        if (a == null) {
            a = hook.advice();
            AsmVisitorWrapper made = advice.putIfAbsent(hook, a);
            if (made != null) {
                a = made;
            }
        }
        return a;
    }

    /**
     * Byte Buddy's advice, woven into one class file: what {@code ByteBuddy.decorate(type).visit(advice).make()} does
     * for advice (no member added, no auxiliary type, so no implementation context), without building a
     * {@code ByteBuddy} and its type writer, which cost the start about a third more classes. The output is
     * byte for byte Byte Buddy's ({@code HookTransformerTest}). A class of its own, so that loading the transformer
     * loads nothing of Byte Buddy: that happens when the first hooked class loads.
     */
    static final class Weaver {
        private static final AuxiliaryType.NamingStrategy NO_AUXILIARY_TYPES =
                new AuxiliaryType.NamingStrategy.Enumerating("tlsagent");

        private Weaver() {}

        static byte[] weave(String name, ClassLoader loader, byte[] classfile, List<AsmVisitorWrapper> advice) {
            ClassFileLocator locator = new ClassFileLocator.Compound(ClassFileLocator.Simple.of(name, classfile),
                    ClassFileLocator.ForClassLoader.of(loader));
            TypePool pool = TypePool.Default.of(locator);
            TypeDescription type = pool.describe(name).resolve();
            AsmVisitorWrapper wrapper = new AsmVisitorWrapper.Compound(advice);
            int writerFlags = wrapper.mergeWriter(AsmVisitorWrapper.NO_FLAGS);
            int readerFlags = wrapper.mergeReader(AsmVisitorWrapper.NO_FLAGS);
            if ((writerFlags & ClassWriter.COMPUTE_FRAMES) != 0) {
                // ASM would load classes to compute frames, inside a class load: Advice never asks for it.
                throw new IllegalStateException("advice asks for computed frames");
            }
            ClassReader reader = new ClassReader(classfile);
            ClassWriter writer = new ClassWriter(reader, writerFlags);
            ClassFileVersion version = ClassFileVersion.ofClassFile(classfile);
            Implementation.Context.ExtractableView context = Implementation.Context.Disabled.Factory.INSTANCE.make(
                    type, NO_AUXILIARY_TYPES, TypeInitializer.None.INSTANCE, version, version,
                    Implementation.Context.FrameGeneration.GENERATE);
            reader.accept(wrapper.wrap(type, writer, context, pool, type.getDeclaredFields(),
                    type.getDeclaredMethods(), writerFlags, readerFlags), readerFlags);
            return writer.toByteArray();
        }
    }
}
