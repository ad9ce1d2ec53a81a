package io.tlsagent.util;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A lock-free queue of at most {@code capacity} items between the threads that hand work over (a handshake thread
 * never waits) and the one thread that takes it. What does not fit is dropped and counted.
 */
public final class BoundedQueue<T> {

    private final int capacity;
    private final Queue<T> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger size = new AtomicInteger();
    private final AtomicLong dropped = new AtomicLong();

    public BoundedQueue(int capacity) {
        this.capacity = capacity;
    }

    /** Adds {@code item}, or drops and counts it when the queue is full; never blocks. */
    public boolean offer(T item) {
        if (size.incrementAndGet() > capacity) {
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

    /** Counts items lost elsewhere on their way (a write that failed, a queue closed under them). */
    public void dropped(long items) {
        dropped.addAndGet(items);
    }

    /** Items dropped: the queue was full, or {@link #dropped(long)} said so. */
    public long dropped() {
        return dropped.get();
    }
}
