package io.tlsagent.instrumentation;

import static net.bytebuddy.matcher.ElementMatchers.isTypeInitializer;

import io.tlsagent.bootstrap.MicrometerEvents;
import java.lang.instrument.Instrumentation;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.asm.AsmVisitorWrapper;

/**
 * The application's Micrometer (metrics=app|both): {@code io.micrometer.core.instrument.Metrics}, by its exact name,
 * in whichever class loader defines it; the end of its static initialiser reports the class. A copy initialised
 * before the hook was in place is found among the loaded classes instead ({@link #alreadyInitialized}).
 */
public final class MicrometerHooks implements TypeHook {

    /**
     * Built at run time: the shade plugin rewrites string constants that start with a relocated package, and this
     * name must stay the application's, not become the agent's own relocated copy.
     */
    static final String METRICS = String.join(".", "io", "micrometer", "core", "instrument", "Metrics");
    private static final String METRICS_INTERNAL = METRICS.replace('.', '/');

    @Override
    public boolean matches(String internalName, ClassLoader loader, Class<?> redefined) {
        return internalName.equals(METRICS_INTERNAL);
    }

    @Override
    public Set<String> jdkClasses() {
        return Set.of();
    }

    @Override
    public AsmVisitorWrapper advice() {
        return AdviceClasses.of(Initialized.class).on(isTypeInitializer());
    }

    static final class Initialized {
        @Advice.OnMethodExit(suppress = Throwable.class)
        static void exit(@Advice.Origin Class<?> metrics) {
            MicrometerEvents events = MicrometerEvents.current;
            if (events != null) {
                events.metricsInitialized(metrics);
            }
        }
    }

    /** The copies of Micrometer's {@code Metrics} already loaded (attached late, or loaded before the hooks). */
    public static List<Class<?>> alreadyInitialized(Instrumentation inst) {
        List<Class<?>> found = new ArrayList<>();
        for (Class<?> c : inst.getAllLoadedClasses()) {
            if (c.getName().equals(METRICS)) {
                found.add(c);
            }
        }
        return found;
    }
}
