package io.tlsagent.export.otel;

import io.tlsagent.util.LateLookup;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.function.Supplier;

/**
 * Beside the OpenTelemetry Java agent, the agent's pushes run with that agent's instrumentation suppressed, through
 * its own {@code InstrumentationUtil.suppressInstrumentation} in the boot loader: else it would trace each push
 * of the agent's bundled SDK (relocated, so the SDK's own suppression is invisible to it) as a CLIENT span. The
 * suppression is in its context, which its executor instrumentation carries to the SDK's sender thread. The name
 * is built at run time: the shade plugin would rewrite a literal that starts with a relocated package.
 */
final class OtelAgentSuppression {

    private static final String UTIL = String.join(".", "io", "opentelemetry", "javaagent", "shaded", "io",
            "opentelemetry", "api", "impl", "InstrumentationUtil");
    private static final LateLookup<MethodHandle> SUPPRESS = new LateLookup<>(() -> MethodHandles.publicLookup()
            .findStatic(Class.forName(UTIL, false, null), "suppressInstrumentation",
                    MethodType.methodType(void.class, Runnable.class)));

    private OtelAgentSuppression() {}

    /** {@code action}'s result, with the OpenTelemetry agent's instrumentation suppressed if it runs. */
    static <T> T call(Supplier<T> action) {
        MethodHandle m = SUPPRESS.get();
        if (m == null) {
            return action.get();
        }
        Object[] result = new Object[1];
        try {
            m.invokeExact((Runnable) () -> result[0] = action.get());
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
        @SuppressWarnings("unchecked")
        T t = (T) result[0];
        return t;
    }
}
