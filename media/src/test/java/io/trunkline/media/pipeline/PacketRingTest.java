package io.trunkline.media.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class PacketRingTest {

    @Test
    void fullRingDropsAndCountsWithoutBlockingTheProducer() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger handled = new AtomicInteger();
        PacketSink stuck = e -> {
            try {
                release.await();
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
            }
            handled.incrementAndGet();
        };
        try (PacketRing ring = new PacketRing(64, new DefaultThreadFactory("test-ring", true))) {
            ByteBuf pkt = Unpooled.wrappedBuffer(new byte[172]);
            long t0 = System.nanoTime();
            int accepted = 0;
            for (int i = 0; i < 1_000; i++) if (ring.offer(stuck, pkt, i)) accepted++;
            long tookMs = (System.nanoTime() - t0) / 1_000_000;
            assertTrue(tookMs < 500, "producer never waited: " + tookMs + " ms");
            assertTrue(accepted <= 65, "accepted " + accepted);
            assertEquals(1_000 - accepted, ring.droppedFull());
            release.countDown();
            long end = System.currentTimeMillis() + 2_000;
            while (handled.get() < accepted && System.currentTimeMillis() < end) Thread.sleep(5);
            assertEquals(accepted, handled.get());
            assertTrue(ring.offer(stuck, pkt, 0), "accepts again once drained");
            assertFalse(ring.offer(stuck, Unpooled.wrappedBuffer(new byte[PacketEvent.MAX_DATAGRAM + 1]), 0));
        }
    }

    @Test
    void handlerSeesACopyOfTheBytesAndTheArrivalTime() throws Exception {
        CountDownLatch done = new CountDownLatch(1);
        byte[][] seen = new byte[1][];
        long[] arrival = new long[1];
        try (PacketRing ring = new PacketRing(64, new DefaultThreadFactory("test-ring", true))) {
            byte[] data = {(byte) 0x80, 0, 0, 1, 9, 9, 9, 9, 8, 8, 8, 8, 42};
            ByteBuf src = Unpooled.wrappedBuffer(data);
            ring.offer(e -> {
                seen[0] = java.util.Arrays.copyOf(e.data(), e.length());
                arrival[0] = e.arrivalNanos();
                assertEquals(13, e.view().readableBytes());
                done.countDown();
            }, src, 12345);
            data[12] = 0; // the ring holds its own copy
            assertTrue(done.await(2, TimeUnit.SECONDS));
            assertEquals(42, seen[0][12]);
            assertEquals(12345, arrival[0]);
        }
    }
}
