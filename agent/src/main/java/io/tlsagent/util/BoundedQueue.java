package io.tlsagent.util;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToIntFunction;

/**
 * A lock-free queue of at most {@code capacity} items, and optionally at most {@code maxWeight} in total weight
 * (bytes, say), between the threads that hand work over (a handshake thread never waits) and the one thread that
 * takes it. What does not fit is dropped and counted.
 */
public final class BoundedQueue<T> {

    private final int capacity;
    private final long maxWeight;
    private final ToIntFunction<T> weigher;
    private final Queue<T> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger size = new AtomicInteger();
    private final AtomicLong weight = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();

    /** Bounded in items only. */
    public BoundedQueue(int capacity) {
        this(capacity, Long.MAX_VALUE, item -> 0);
    }

    /**
     * Bounded in items and in total weight; {@code weigher} must give an item the same weight every time it is
     * asked (it is asked again when the item leaves).
     */
    public BoundedQueue(int capacity, long maxWeight, ToIntFunction<T> weigher) {
        this.capacity = capacity;
        this.maxWeight = maxWeight;
        this.weigher = weigher;
    }

    /** Adds {@code item}, or drops and counts it when the queue is full (in items or weight); never blocks. */
    public boolean offer(T item) {
        if (size.incrementAndGet() > capacity) {
            size.decrementAndGet();
            dropped.incrementAndGet();
            return false;
        }
        int w = weigher.applyAsInt(item);
        if (w > 0 && weight.addAndGet(w) > maxWeight) {
            weight.addAndGet(-w);
            size.decrementAndGet();
            dropped.incrementAndGet();
            return false;
        }
        queue.add(item);
        return true;
    }

    /** The oldest item, or null. */
    public T poll() {
        T item = queue.poll();
        if (item != null) {
            size.decrementAndGet();
            int w = weigher.applyAsInt(item);
            if (w > 0) {
                weight.addAndGet(-w);
            }
        }
        return item;
    }

    public boolean isEmpty() {
        return queue.isEmpty();
    }

    /** Items waiting. */
    public int size() {
        return size.get();
    }

    /** The weight of the items waiting. */
    public long weight() {
        return weight.get();
    }

    /** Counts items lost elsewhere on their way (a write that failed, a queue closed under them). */
    public void dropped(long items) {
        dropped.addAndGet(items);
    }

    /** Items dropped: the queue was full, or {@link #dropped(long)} said so. */
    public long dropped() {
        return dropped.get();
    }
}
