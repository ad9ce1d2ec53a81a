package io.tlsagent.instrumentation;

import io.tlsagent.bootstrap.SunJsseEvents;
import io.tlsagent.util.AgentErrors;
import java.lang.instrument.Instrumentation;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Where the agent hooks TLS: SunJSSE deeply ({@link SunJsseHooks}), every other implementation through the public
 * API ({@link PublicApiHooks}), and the libraries that pair engines with connections ({@link LibraryHook}). The transformer goes in before anything of the agent's loads the classes it hooks,
 * so they are transformed as they load; the few that were loaded already (an attach, or TLS used before the agent
 * started) are found by name and retransformed, nothing else. A new hooked type is a {@link TypeHook} in one of
 * those files.
 */
public final class TlsInstrumentation {

    private final Instrumentation inst;
    private final HookTransformer transformer;
    private final Set<String> jdkClasses;
    private final Set<String> libraryClasses;
    private final ProviderClasses providers;
    private final boolean micrometer;

    private TlsInstrumentation(Instrumentation inst, HookTransformer transformer, Set<String> jdkClasses,
            Set<String> libraryClasses, ProviderClasses providers, boolean micrometer) {
        this.inst = inst;
        this.transformer = transformer;
        this.jdkClasses = jdkClasses;
        this.libraryClasses = libraryClasses;
        this.providers = providers;
        this.micrometer = micrometer;
    }

    /**
     * Installs the hooks, SunJSSE's always (whether its internals are as the deep hooks expect is decided by the
     * capture; when they are not, its advice finds no capture and does nothing); {@code micrometer}: also the hook
     * that finds the application's Micrometer ({@link MicrometerHooks}). Returns what {@link #remove} undoes.
     */
    public static TlsInstrumentation install(Instrumentation inst, AgentErrors errors, ProviderClasses providers,
            boolean micrometer) {
        List<TypeHook> hooks = new ArrayList<>(SunJsseHooks.all());
        hooks.addAll(PublicApiHooks.all(providers));
        hooks.addAll(LibraryHook.all());
        hooks.addAll(KeyMaterialHooks.all());
        if (micrometer) {
            hooks.add(new MicrometerHooks());
        }
        Set<String> jdkClasses = new HashSet<>();
        Set<String> libraryClasses = new HashSet<>();
        for (TypeHook hook : hooks) {
            jdkClasses.addAll(hook.jdkClasses());
            libraryClasses.addAll(hook.libraryClasses());
        }
        // Advice is inlined, so Byte Buddy never has to inject classes: keep it off sun.misc.Unsafe, which JDK 24+
        // warns about on the application's stderr. The shade plugin relocates these names to our copy's own.
        System.setProperty("net.bytebuddy.nexus.disabled", "true");
        System.setProperty("net.bytebuddy.safe", "true");
        readsTheBridge(inst, Object.class.getModule());
        HookTransformer transformer = new HookTransformer(inst, hooks, errors);
        inst.addTransformer(transformer, true);
        TlsInstrumentation installed = new TlsInstrumentation(inst, transformer, Set.copyOf(jdkClasses),
                Set.copyOf(libraryClasses), providers, micrometer);
        installed.retransform(installed.loadedHookedClasses(), errors);
        return installed;
    }

    /** Lets a named module's code (java.base's, or a provider's on the module path) call the advice's bridge. */
    static void readsTheBridge(Instrumentation inst, Module module) {
        Module bridge = SunJsseEvents.class.getModule(); // all bridge classes are in the boot loader's unnamed module
        if (module.isNamed() && !module.canRead(bridge)) {
            inst.redefineModule(module, Set.of(bridge), Map.of(), Map.of(), Set.of(), Map.of());
        }
    }

    /** Detach: the transformer goes, and every class it hooked gets the JDK's (or the provider's) bytecode back. */
    public void remove(AgentErrors errors) {
        inst.removeTransformer(transformer);
        List<Class<?>> hooked = loadedHookedClasses();
        hooked.addAll(providers.hooked());
        if (micrometer) {
            hooked.addAll(MicrometerHooks.alreadyInitialized(inst));
        }
        retransform(hooked, errors);
    }

    /**
     * The hooked JDK and library classes loaded so far, found by name (a look at each loaded class's name, nothing
     * more); a library's classes in whichever loader loaded them.
     */
    private List<Class<?>> loadedHookedClasses() {
        List<Class<?>> found = new ArrayList<>();
        for (Class<?> c : inst.getAllLoadedClasses()) {
            if (c.getClassLoader() == null ? jdkClasses.contains(c.getName()) : libraryClasses.contains(c.getName())) {
                found.add(c);
            }
        }
        return found;
    }

    private void retransform(List<Class<?>> classes, AgentErrors errors) {
        if (classes.isEmpty()) {
            return;
        }
        try {
            inst.retransformClasses(classes.toArray(new Class<?>[0]));
        } catch (Throwable t) {
            // One by one, so that one class that cannot be retransformed leaves the others hooked (or restored).
            for (Class<?> c : classes) {
                try {
                    inst.retransformClasses(c);
                } catch (Throwable each) {
                    errors.record("retransforming " + c.getName(), each);
                }
            }
        }
    }
}
