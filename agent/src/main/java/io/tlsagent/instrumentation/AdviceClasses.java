package io.tlsagent.instrumentation;

import net.bytebuddy.asm.Advice;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.pool.TypePool;

/**
 * Byte Buddy's {@link Advice} made from the advice class's bytes, as the hooked classes are read, instead of from the
 * loaded class: no reflection and no annotation instances, which cost the start more than the weaving itself.
 */
final class AdviceClasses {

    private static final ClassFileLocator LOCATOR =
            ClassFileLocator.ForClassLoader.of(AdviceClasses.class.getClassLoader());
    private static final TypePool POOL = TypePool.Default.of(LOCATOR);

    private AdviceClasses() {}

    static Advice of(Class<?> adviceClass) {
        return Advice.to(POOL.describe(adviceClass.getName()).resolve(), LOCATOR);
    }
}
