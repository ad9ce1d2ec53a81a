package io.tlsagent.micrometer;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.core.instrument.noop.NoopMeter;
import io.tlsagent.bootstrap.MicrometerEvents;
import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

/**
 * The agent's meters in one copy of the application's Micrometer, registered directly in each registry of its
 * global registry ({@link Metrics#globalRegistry}, where Spring Boot and other frameworks add theirs), not in the
 * global composite: so that each registry's own MeterFilters (common tags, denials) apply and a denial is visible,
 * and so that the OpenTelemetry agent's bridge registry, also a child of the global one, is skipped (it would export
 * the same meters a second time). Uses only API that is the same from Micrometer 1.9 to 1.17.
 *
 * <p>Lives as long as the application's Micrometer: the agent keeps it in a ClassValue of that copy's
 * {@code Metrics} class and otherwise holds it weakly. Registries are held weakly here too.
 */
public final class MicrometerAdapter implements MicrometerEvents.Adapter {

    /** The OpenTelemetry Java agent's own registry (its Micrometer bridge), whatever the bridge's version. */
    private static final String OPENTELEMETRY_AGENT = "io.opentelemetry.javaagent.";
    /** Timers and counters kept per registry; beyond, Micrometer's own lookup finds them (bounded labels anyway). */
    static final int MAX_CACHED = 4096;

    private final Duration[] buckets;
    private final List<Registration> registrations = new ArrayList<>();
    private final List<Target> targets = new ArrayList<>();
    private final List<String> toSay = new ArrayList<>();
    private final Set<Class<?>> skippedSaid = Collections.newSetFromMap(new IdentityHashMap<>());

    /** {@code bucketNanos}: the timers' bucket bounds (service level objectives), in nanoseconds. */
    public MicrometerAdapter(long[] bucketNanos) {
        buckets = new Duration[bucketNanos.length];
        for (int i = 0; i < bucketNanos.length; i++) {
            buckets[i] = Duration.ofNanos(bucketNanos[i]);
        }
    }

    @Override
    public synchronized List<String> refresh() {
        Set<MeterRegistry> now = Collections.newSetFromMap(new IdentityHashMap<>());
        leaves(Metrics.globalRegistry, now);
        for (Iterator<Target> it = targets.iterator(); it.hasNext(); ) {
            MeterRegistry r = it.next().registry.get();
            if (r == null || r.isClosed() || !now.remove(r)) {
                it.remove(); // closed, or no longer in the global registry: its meters go with it
            }
        }
        for (MeterRegistry r : now) {
            if (r.isClosed()) {
                continue;
            }
            if (r.getClass().getName().startsWith(OPENTELEMETRY_AGENT)) {
                if (skippedSaid.add(r.getClass())) {
                    toSay.add("TLS meters are not added to the OpenTelemetry agent's Micrometer bridge ("
                            + r.getClass().getSimpleName() + "), which would export them a second time");
                }
                continue;
            }
            Target t = new Target(r);
            targets.add(t);
            for (Registration registration : registrations) {
                t.add(registration.name, registration.register.apply(r));
            }
        }
        List<String> said = new ArrayList<>(toSay);
        toSay.clear();
        return said;
    }

    /** The registries that are not composites, below {@code r} (each once). */
    private static void leaves(MeterRegistry r, Set<MeterRegistry> into) {
        if (r instanceof CompositeMeterRegistry) {
            for (MeterRegistry child : ((CompositeMeterRegistry) r).getRegistries()) {
                leaves(child, into);
            }
        } else {
            into.add(r);
        }
    }

    @Override
    public synchronized int registries() {
        return targets.size();
    }

    @Override
    public synchronized <T> void functionCounter(String name, String description, String[] tags, T state,
            ToDoubleFunction<T> value) {
        register(name, tags, r -> FunctionCounter.builder(name, state, value).description(description).tags(tags)
                .register(r));
    }

    @Override
    public synchronized <T> void gauge(String name, String description, String baseUnit, String[] tags, T state,
            ToDoubleFunction<T> value) {
        register(name, tags, r -> Gauge.builder(name, state, value).description(description).baseUnit(baseUnit)
                .tags(tags).strongReference(true).register(r));
    }

    private void register(String name, String[] tags, Function<MeterRegistry, Meter> register) {
        registrations.add(new Registration(name, tags, register));
        for (Target t : targets) {
            MeterRegistry r = t.registry.get();
            if (r != null) {
                t.add(name, register.apply(r));
            }
        }
    }

    @Override
    public synchronized void remove(String name, String[] tags) {
        registrations.removeIf(reg -> reg.name.equals(name) && Arrays.equals(reg.tags, tags));
        for (Target t : targets) {
            MeterRegistry r = t.registry.get();
            if (r != null) {
                for (Meter m : r.find(name).tags(tags).meters()) {
                    r.remove(m);
                    t.ours.remove(m);
                }
            }
        }
    }

    @Override
    public synchronized void record(String name, String description, String[] tags, long nanos) {
        for (Target t : targets) {
            Meter timer = t.meter(name, tags, r -> Timer.builder(name).description(description).tags(tags)
                    .serviceLevelObjectives(buckets).register(r));
            if (timer instanceof Timer) {
                ((Timer) timer).record(nanos, TimeUnit.NANOSECONDS);
            }
        }
    }

    @Override
    public synchronized void increment(String name, String description, String[] tags) {
        for (Target t : targets) {
            Meter counter = t.meter(name, tags, r -> Counter.builder(name).description(description).tags(tags)
                    .register(r));
            if (counter instanceof Counter) {
                ((Counter) counter).increment();
            }
        }
    }

    @Override
    public synchronized void close() {
        for (Target t : targets) {
            MeterRegistry r = t.registry.get();
            if (r != null) {
                for (Meter m : t.ours) {
                    r.remove(m);
                }
            }
        }
        targets.clear();
        registrations.clear();
    }

    /** A function meter or gauge, registered again in each registry that joins later. */
    private static final class Registration {
        final String name;
        final String[] tags;
        final Function<MeterRegistry, Meter> register;

        Registration(String name, String[] tags, Function<MeterRegistry, Meter> register) {
            this.name = name;
            this.tags = tags;
            this.register = register;
        }
    }

    /** One of the application's registries, and what the agent put in it. */
    private final class Target {
        final WeakReference<MeterRegistry> registry;
        final List<Meter> ours = new ArrayList<>();
        final Map<String, Meter> recorded = new HashMap<>();
        boolean denialSaid;

        Target(MeterRegistry registry) {
            this.registry = new WeakReference<>(registry);
        }

        /** Keeps a meter it registered; a denied one (a no-op meter, not kept by the registry) is said once. */
        void add(String name, Meter m) {
            if (m instanceof NoopMeter) {
                if (!denialSaid) {
                    denialSaid = true;
                    MeterRegistry r = registry.get();
                    toSay.add("a MeterFilter of the application's " + (r != null ? r.getClass().getSimpleName()
                            : "registry") + " denies TLS meters (the first: " + name + "): respected, those it"
                            + " denies are left out of that registry");
                }
            } else {
                ours.add(m);
            }
        }

        /** The timer or counter of this name and tags, registered on first use (null when the registry is gone). */
        Meter meter(String name, String[] tags, Function<MeterRegistry, Meter> register) {
            String key = name + Arrays.toString(tags);
            Meter m = recorded.get(key);
            if (m != null) {
                return m;
            }
            MeterRegistry r = registry.get();
            if (r == null) {
                return null;
            }
            m = register.apply(r);
            if (recorded.size() < MAX_CACHED) {
                recorded.put(key, m);
                add(name, m);
            }
            return m;
        }
    }
}
