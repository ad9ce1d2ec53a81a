package io.tlsagent.instrumentation;

import net.bytebuddy.asm.AsmVisitorWrapper;
import net.bytebuddy.description.type.TypeDescription;

/**
 * One hooked type: which classes it applies to, and the advice it puts on their methods. Classes are matched by
 * name or by identity only, never by hierarchy, so class loading stays as cheap as without the agent.
 */
interface TypeHook {

    /** Whether this hook applies to a class being loaded ({@code loaded} null) or retransformed. */
    boolean matches(TypeDescription type, Class<?> loaded);

    /** The advice for a matched class; each piece is inlined, static, stateless, and calls only the bridge. */
    AsmVisitorWrapper advice();
}
