package io.tlsagent.instrumentation;

import java.util.Set;
import net.bytebuddy.asm.AsmVisitorWrapper;

/**
 * One hooked type: which classes it applies to, and the advice it puts on their methods. Classes are matched by
 * name (the JDK's own) or by identity (another provider's, when retransformed) only, never by hierarchy, so class
 * loading stays as cheap as without the agent.
 */
interface TypeHook {

    /**
     * Whether this hook applies to a class being loaded ({@code redefined} null) or retransformed.
     * {@code internalName} is the class's name with slashes ({@code sun/security/ssl/TransportContext}). Runs while a
     * class is transformed, so it must load no class (not even through a class literal): a class loaded there is
     * never transformed itself.
     */
    boolean matches(String internalName, ClassLoader loader, Class<?> redefined);

    /** The JDK classes (boot loader, binary names) this hook names: retransformed when loaded before the hooks. */
    Set<String> jdkClasses();

    /**
     * The library classes (any class loader but the boot loader, binary names) this hook names: retransformed
     * wherever they were loaded before the hooks.
     */
    default Set<String> libraryClasses() {
        return Set.of();
    }

    /** The advice for a matched class; each piece is inlined, static, stateless, and calls only the bridge. */
    AsmVisitorWrapper advice();
}
