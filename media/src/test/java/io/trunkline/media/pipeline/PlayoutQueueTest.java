package io.trunkline.media.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PlayoutQueueTest {
    private final List<String> played = new ArrayList<>();

    private PlayoutQueue queue(int capacity) {
        PlayoutQueue q = new PlayoutQueue(capacity);
        q.setListener(played::add);
        return q;
    }

    private static short[] ramp(int n, int from) {
        short[] s = new short[n];
        for (int i = 0; i < n; i++) s[i] = (short) (from + i);
        return s;
    }

    @Test
    void readsInOrderAcrossTheRingEdgeAndPadsWithSilence() {
        PlayoutQueue q = queue(400);
        short[] out = new short[160];
        assertTrue(q.write(ramp(300, 0), 0, 300));
        assertEquals(160, q.read(out, 160));
        assertTrue(q.write(ramp(200, 300), 0, 200), "wraps the ring");
        assertEquals(160, q.read(out, 160));
        assertEquals(160, out[0]);
        assertEquals(160, q.read(out, 160));
        assertEquals(320, out[0]);
        assertEquals(20, q.read(out, 160), "the last 20 real samples, then silence");
        assertEquals(480, out[0]);
        assertEquals(499, out[19]);
        assertEquals(0, out[20]);
        assertEquals(0, q.read(out, 160));
        assertArrayEquals(new short[160], out);
    }

    @Test
    void fullQueueRefusesWholeWriteAndCounts() {
        PlayoutQueue q = queue(320);
        assertTrue(q.play(ramp(300, 1)));
        assertFalse(q.write(ramp(40, 1), 0, 40));
        assertEquals(1, q.droppedWrites());
        assertEquals(40, q.droppedSamples());
        assertEquals(300, q.queuedSamples());
        assertThrows(IndexOutOfBoundsException.class, () -> q.write(new short[10], 5, 10));
    }

    @Test
    void marksFireWhenTheAudioBeforeThemHasBeenRead() {
        PlayoutQueue q = queue(2000);
        short[] out = new short[160];
        q.write(ramp(200, 1), 0, 200);
        q.mark("first");
        q.write(ramp(300, 1), 0, 300);
        q.mark("second");
        q.read(out, 160);
        assertEquals(List.of(), played);
        q.read(out, 160);
        assertEquals(List.of("first"), played);
        q.read(out, 160);
        assertEquals(List.of("first"), played, "second sits at 500, the read ended at 480");
        q.read(out, 160);
        assertEquals(List.of("first", "second"), played);
        q.mark("on-empty");
        q.read(out, 160);
        assertEquals(List.of("first", "second", "on-empty"), played);
    }

    @Test
    void clearDropsQueuedAudioAndFiresTheMarksBehindIt() {
        PlayoutQueue q = queue(2000);
        short[] out = new short[160];
        q.write(ramp(1000, 1), 0, 1000);
        q.mark("a");
        q.write(ramp(500, 1), 0, 500);
        q.mark("b");
        q.clear();
        assertEquals(List.of("a", "b"), played, "fired at once by clear");
        assertEquals(0, q.queuedSamples());
        assertEquals(1500, q.clearedSamples());
        assertEquals(0, q.read(out, 160));
    }
}
