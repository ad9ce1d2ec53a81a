package io.tlsagent.capture;

import io.tlsagent.record.TraceContext;
import io.tlsagent.util.LateLookup;
import io.tlsagent.util.WeakIdentityMap;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * The OpenTelemetry span current on this thread, read where a client handshake starts, through whichever
 * OpenTelemetry API the JVM has: the OpenTelemetry Java agent's own copy in the boot loader (it also sees what the
 * application's API made current, since the agent bridges it), else the application's own API, found through the
 * thread's context class loader. Nothing when there is none, or when no valid span is current. Class names are
 * built at run time: the shade plugin would rewrite a literal that starts with a relocated package.
 */
final class CurrentSpan {

    private static final String API = String.join(".", "io", "opentelemetry", "api", "trace");
    private static final String AGENT_API = String.join(".", "io", "opentelemetry", "javaagent", "shaded", API);

    /** One API's {@code Span.current().getSpanContext()} and its getters, each taking and giving Object. */
    private static final class Api {
        final MethodHandle current;
        final MethodHandle spanContext;
        final MethodHandle traceId;
        final MethodHandle spanId;
        final MethodHandle valid;
        final MethodHandle sampled;

        Api(String packageName, ClassLoader loader) throws ReflectiveOperationException {
            Class<?> span = Class.forName(packageName + ".Span", false, loader);
            Class<?> context = Class.forName(packageName + ".SpanContext", false, loader);
            MethodHandles.Lookup lookup = MethodHandles.publicLookup();
            current = lookup.findStatic(span, "current", MethodType.methodType(span))
                    .asType(MethodType.methodType(Object.class));
            spanContext = getter(lookup, span, "getSpanContext", context);
            traceId = getter(lookup, context, "getTraceId", String.class);
            spanId = getter(lookup, context, "getSpanId", String.class);
            valid = getter(lookup, context, "isValid", boolean.class);
            sampled = getter(lookup, context, "isSampled", boolean.class);
        }

        private static MethodHandle getter(MethodHandles.Lookup lookup, Class<?> type, String name,
                Class<?> returns) throws ReflectiveOperationException {
            return lookup.findVirtual(type, name, MethodType.methodType(returns))
                    .asType(MethodType.methodType(returns.isPrimitive() ? returns : Object.class, Object.class));
        }

        TraceContext read() throws Throwable {
            Object context = spanContext.invokeExact((Object) current.invokeExact());
            if (!(boolean) valid.invokeExact(context)) {
                return null;
            }
            return new TraceContext((String) (Object) traceId.invokeExact(context),
                    (String) (Object) spanId.invokeExact(context), (boolean) sampled.invokeExact(context));
        }
    }

    /**
     * The span current where each engine or socket was made, for those made under one: a client that makes its
     * engine on the calling thread but shakes hands on threads of its own (the JDK HttpClient) still links its
     * handshake to the call. Weak keys, bounded.
     */
    private static final WeakIdentityMap<TraceContext> CREATED_UNDER = new WeakIdentityMap<>(100_000);
    /** Stands for "this loader has no OpenTelemetry API". */
    private static final Object NONE = new Object();
    private static final WeakIdentityMap<Object> APPLICATION_APIS = new WeakIdentityMap<>(256);
    private static final LateLookup<Api> AGENT_API_LOOKUP = new LateLookup<>(() -> new Api(AGENT_API, null));

    private CurrentSpan() {}

    /** The current span on this thread, or null; never throws. */
    static TraceContext read() {
        try {
            Api api = AGENT_API_LOOKUP.get();
            if (api == null) {
                api = applicationApi(Thread.currentThread().getContextClassLoader());
            }
            return api == null ? null : api.read();
        } catch (Throwable t) {
            return null;
        }
    }

    /** Remembers the span current while an engine or socket is made (on the thread that makes it). */
    static void created(Object engineOrSocket) {
        TraceContext current = read();
        if (current != null) {
            CREATED_UNDER.computeIfAbsent(engineOrSocket, () -> current);
        }
    }

    /**
     * The span of a client handshake: the one current on this thread, where it starts; else the one current where
     * its engine or socket was made; null when neither.
     */
    static TraceContext forHandshake(Object engineOrSocket) {
        TraceContext current = read();
        return current != null || engineOrSocket == null ? current : CREATED_UNDER.get(engineOrSocket);
    }

    private static Api applicationApi(ClassLoader loader) {
        if (loader == null) {
            return null;
        }
        Object api = APPLICATION_APIS.get(loader);
        if (api == null) {
            Object found = lookUp(loader);
            api = APPLICATION_APIS.computeIfAbsent(loader, () -> found);
            if (api == null) {
                api = found; // the map is full: look again next time
            }
        }
        return api instanceof Api ? (Api) api : null;
    }

    private static Object lookUp(ClassLoader loader) {
        try {
            return new Api(API, loader);
        } catch (ReflectiveOperationException | LinkageError absent) {
            return NONE;
        }
    }
}
