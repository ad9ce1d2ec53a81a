package io.tlsagent.util;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class WeakIdentityMapTest {

    @Test
    void keysAreComparedByIdentity() {
        WeakIdentityMap<String> map = new WeakIdentityMap<>(10);
        String a1 = new String("a");
        String a2 = new String("a");
        assertThat(a1).isEqualTo(a2).isNotSameAs(a2);

        assertThat(map.computeIfAbsent(a1, () -> "first")).isEqualTo("first");
        assertThat(map.get(a2)).isNull();
        assertThat(map.computeIfAbsent(a2, () -> "second")).isEqualTo("second");

        assertThat(map.size()).isEqualTo(2);
        assertThat(map.get(a1)).isEqualTo("first");
        assertThat(map.get(a2)).isEqualTo("second");
    }

    @Test
    void computeIfAbsentReturnsTheSameValueTheSecondTime() {
        WeakIdentityMap<Object> map = new WeakIdentityMap<>(10);
        Object key = new Object();
        AtomicInteger calls = new AtomicInteger();

        Object first = map.computeIfAbsent(key, () -> {
            calls.incrementAndGet();
            return new Object();
        });
        Object second = map.computeIfAbsent(key, () -> {
            calls.incrementAndGet();
            return new Object();
        });

        assertThat(second).isSameAs(first);
        assertThat(calls).hasValue(1);
        assertThat(map.get(key)).isSameAs(first);
        assertThat(map.size()).isEqualTo(1);
    }

    @Test
    void keysWithEqualHashCodesButDifferentIdentityAreDistinct() {
        WeakIdentityMap<String> map = new WeakIdentityMap<>(10);
        Object k1 = new SameHash();
        Object k2 = new SameHash();

        map.computeIfAbsent(k1, () -> "one");
        map.computeIfAbsent(k2, () -> "two");

        assertThat(map.get(k1)).isEqualTo("one");
        assertThat(map.get(k2)).isEqualTo("two");
    }

    @Test
    void removeDropsTheEntry() {
        WeakIdentityMap<String> map = new WeakIdentityMap<>(10);
        Object key = new Object();
        Object other = new Object();
        map.computeIfAbsent(key, () -> "v");
        map.computeIfAbsent(other, () -> "w");

        assertThat(map.remove(key)).isEqualTo("v");
        assertThat(map.get(key)).isNull();
        assertThat(map.size()).isEqualTo(1);
        assertThat(map.remove(key)).isNull();
        assertThat(map.remove(new Object())).isNull();
        assertThat(map.get(other)).isEqualTo("w");

        assertThat(map.computeIfAbsent(key, () -> "again")).isEqualTo("again");
    }

    @Test
    void removeUsesIdentity() {
        WeakIdentityMap<String> map = new WeakIdentityMap<>(10);
        String a1 = new String("a");
        map.computeIfAbsent(a1, () -> "v");

        assertThat(map.remove(new String("a"))).isNull();
        assertThat(map.get(a1)).isEqualTo("v");
    }

    @Test
    void returnsNullWhenFull() {
        WeakIdentityMap<String> map = new WeakIdentityMap<>(2);
        Object k1 = new Object();
        Object k2 = new Object();
        Object k3 = new Object();
        AtomicInteger calls = new AtomicInteger();

        assertThat(map.computeIfAbsent(k1, () -> "1")).isEqualTo("1");
        assertThat(map.computeIfAbsent(k2, () -> "2")).isEqualTo("2");
        assertThat(map.computeIfAbsent(k3, () -> {
            calls.incrementAndGet();
            return "3";
        })).isNull();

        assertThat(calls).as("the factory is not called when full").hasValue(0);
        assertThat(map.size()).isEqualTo(2);
        assertThat(map.get(k3)).isNull();
        // Existing keys are still found when the map is full.
        assertThat(map.computeIfAbsent(k1, () -> "x")).isEqualTo("1");

        // Removing one makes room again.
        map.remove(k2);
        assertThat(map.computeIfAbsent(k3, () -> "3")).isEqualTo("3");
    }

    @Test
    void zeroLimitHoldsNothing() {
        WeakIdentityMap<String> map = new WeakIdentityMap<>(0);

        assertThat(map.computeIfAbsent(new Object(), () -> "v")).isNull();
        assertThat(map.size()).isZero();
    }

    @Test
    void entriesVanishWhenTheKeyIsUnreachable() throws InterruptedException {
        WeakIdentityMap<String> map = new WeakIdentityMap<>(100);
        Object kept = new Object();
        map.computeIfAbsent(kept, () -> "kept");
        addUnreachableKeys(map, 10);
        assertThat(map.size()).isEqualTo(11);

        long deadline = System.nanoTime() + 5_000_000_000L;
        while (map.size() > 1 && System.nanoTime() < deadline) {
            System.gc();
            Thread.sleep(20);
        }

        assertThat(map.size()).isEqualTo(1);
        assertThat(map.get(kept)).isEqualTo("kept");
    }

    @Test
    void theOnlyEntryVanishes() throws InterruptedException {
        WeakIdentityMap<String> map = new WeakIdentityMap<>(1);
        addUnreachableKeys(map, 1);
        assertThat(map.size()).isEqualTo(1);

        long deadline = System.nanoTime() + 5_000_000_000L;
        while (map.size() > 0 && System.nanoTime() < deadline) {
            System.gc();
            Thread.sleep(20);
        }

        assertThat(map.size()).isZero();
        // And the freed slot can be used again.
        assertThat(map.computeIfAbsent(new Object(), () -> "new")).isEqualTo("new");
    }

    /** In its own method so no local variable of the test keeps the keys reachable. */
    private static void addUnreachableKeys(WeakIdentityMap<String> map, int count) {
        for (int i = 0; i < count; i++) {
            String value = "value-" + i;
            assertThat(map.computeIfAbsent(new Object(), () -> value)).isEqualTo(value);
        }
    }

    private static final class SameHash {
        @Override
        public int hashCode() {
            return 42;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof SameHash;
        }
    }
}
