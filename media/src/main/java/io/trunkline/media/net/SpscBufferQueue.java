package io.trunkline.media.net;

import io.netty.buffer.ByteBuf;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * A bounded single-producer single-consumer queue of buffers (clock thread to event loop), allocation-free. Each
 * buffer carries the deadline it was built for, so the consumer can measure when it really left.
 */
final class SpscBufferQueue {
    private final AtomicReferenceArray<ByteBuf> slots;
    private final long[] deadlines;
    private long polledDeadline;
    private final int mask;
    private final AtomicLong head = new AtomicLong();
    private final AtomicLong tail = new AtomicLong();

    SpscBufferQueue(int capacityPowerOfTwo) {
        slots = new AtomicReferenceArray<>(capacityPowerOfTwo);
        mask = capacityPowerOfTwo - 1;
        deadlines = new long[capacityPowerOfTwo];
    }

    boolean offer(ByteBuf b, long deadlineNanos) {
        long t = tail.get();
        if (t - head.get() > mask) return false;
        deadlines[(int) (t & mask)] = deadlineNanos;
        slots.lazySet((int) (t & mask), b);
        // A full volatile store: the producer then checks the consumer's "flush scheduled" flag (Dekker-style).
        tail.set(t + 1);
        return true;
    }

    ByteBuf poll() {
        long h = head.get();
        if (h == tail.get()) return null;
        int i = (int) (h & mask);
        ByteBuf b = slots.get(i);
        polledDeadline = deadlines[i];
        slots.lazySet(i, null);
        head.lazySet(h + 1);
        return b;
    }

    /** The deadline of the buffer {@link #poll} returned last (consumer thread only). */
    long polledDeadline() { return polledDeadline; }

    boolean isEmpty() { return head.get() == tail.get(); }

    /** Releases whatever is still queued (at close, on the consumer's thread). */
    void releaseAll() {
        ByteBuf b;
        while ((b = poll()) != null) b.release();
    }
}
