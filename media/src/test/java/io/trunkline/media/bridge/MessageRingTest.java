package io.trunkline.media.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class MessageRingTest {

    @Test
    void fullRingRefusesAndDrainFreesIt() {
        MessageRing ring = new MessageRing(4, 8);
        for (int i = 0; i < 4; i++) assertTrue(ring.offer(new byte[] {(byte) i}, 1));
        assertFalse(ring.offer(new byte[] {9}, 1));
        List<Integer> got = new ArrayList<>();
        assertEquals(4, ring.drain((m, n) -> got.add((int) m[0])));
        assertEquals(List.of(0, 1, 2, 3), got);
        assertTrue(ring.offer(new byte[20], 20), "an oversized message gets a bigger slot");
        assertEquals(1, ring.drain((m, n) -> assertEquals(20, n)));
        assertThrows(IllegalArgumentException.class, () -> new MessageRing(6, 8));
    }

    /** One producer and one consumer thread: every accepted message arrives once, intact and in order. */
    @Test
    void producerAndConsumerThreadsLoseAndReorderNothing() throws Exception {
        MessageRing ring = new MessageRing(16, 8);
        int total = 200_000;
        long[] next = {0};
        long[] errors = {0};
        long[] received = {0};
        Thread consumer = new Thread(() -> {
            while (received[0] < total) {
                ring.drain((m, n) -> {
                    long v = ByteBuffer.wrap(m, 0, n).getLong();
                    if (v != next[0]) errors[0]++;
                    next[0] = v + 1;
                    received[0]++;
                });
                Thread.yield(); // two cores here: let the producer run
            }
        });
        consumer.start();
        byte[] msg = new byte[8];
        for (long v = 0; v < total; ) {
            ByteBuffer.wrap(msg).putLong(v);
            if (ring.offer(msg, 8)) v++;
            else Thread.yield();
        }
        consumer.join(30_000);
        assertFalse(consumer.isAlive());
        assertEquals(0, errors[0]);
        assertEquals(total, received[0]);
    }
}
