package io.trunkline.media.bridge;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A bounded single-producer single-consumer queue of encoded messages, copied into preallocated slots: the hand-off
 * from the media thread (producer) to the connection's event loop (consumer). It lets the media thread send a frame
 * without touching Netty, which would allocate a write task and wake the event loop for every frame.
 */
final class MessageRing {
    private final byte[][] slots;
    private final int[] lengths;
    private final int mask;
    /** Next slot to read; written only by the consumer. */
    private final AtomicLong head = new AtomicLong();
    /** Next slot to write; written only by the producer. */
    private final AtomicLong tail = new AtomicLong();

    interface Sink {
        void accept(byte[] message, int length);
    }

    MessageRing(int capacity, int slotBytes) {
        if (Integer.bitCount(capacity) != 1) throw new IllegalArgumentException("capacity: must be a power of two, got " + capacity);
        slots = new byte[capacity][slotBytes];
        lengths = new int[capacity];
        mask = capacity - 1;
    }

    /** Producer: copies the message in; false when the ring is full (the consumer is behind). */
    boolean offer(byte[] message, int length) {
        long t = tail.get();
        if (t - head.get() == slots.length) return false;
        int i = (int) t & mask;
        if (slots[i].length < length) slots[i] = new byte[length]; // a rare oversized control message
        System.arraycopy(message, 0, slots[i], 0, length);
        lengths[i] = length;
        // a volatile write, not lazySet: the producer's wake-up test (a CAS on the drain flag) must not be ordered
        // before it, or a consumer that just cleared the flag could miss this message until the next one
        tail.set(t + 1);
        return true;
    }

    /** Consumer: hands every queued message to the sink in order; returns how many. */
    int drain(Sink sink) {
        long h = head.get();
        long t = tail.get();
        for (long n = h; n < t; n++) {
            int i = (int) n & mask;
            sink.accept(slots[i], lengths[i]);
        }
        head.lazySet(t);
        return (int) (t - h);
    }
}
