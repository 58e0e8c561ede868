package io.trunkline.engine;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The pacer on a simulated clock: spacing, the sliding-window bound, late starts, and rate changes. */
class PacedLimiterTest {
    private static long maxInWindow(List<Long> t) {
        int max = 0, lo = 0;
        for (int hi = 0; hi < t.size(); hi++) {
            while (t.get(hi) - t.get(lo) >= 1_000_000_000L) lo++;
            max = Math.max(max, hi - lo + 1);
        }
        return max;
    }

    @Test
    void lateWakingCallerNeverExceedsNInAnySlidingSecond() {
        for (int n : new int[] {1, 7, 20, 500}) {
            PacedLimiter limiter = new PacedLimiter(n);
            List<Long> starts = new ArrayList<>();
            Random jitter = new Random(n);
            long now = 0;
            long end = 30_000_000_000L;
            while (now < end) {
                long wait = limiter.tryAcquire(now);
                if (wait == 0) starts.add(now);
                // wake-ups are late by up to 2 ms, as a loaded machine's are
                now += (wait == 0 ? 1 : wait) + jitter.nextInt(2_000_000);
            }
            assertTrue(maxInWindow(starts) <= n, n + "/s: " + maxInWindow(starts) + " in one second");
            for (int i = 1; i < starts.size(); i++) {
                assertTrue(starts.get(i) - starts.get(i - 1) >= 1e9 / n, "no micro-burst: starts at least 1/N apart");
            }
        }
    }

    @Test
    void onTimeCallerAchievesTheRateWithin1Percent() {
        PacedLimiter limiter = new PacedLimiter(50);
        long now = 0;
        int started = 0;
        while (now < 60_000_000_000L) {
            long wait = limiter.tryAcquire(now);
            if (wait == 0) started++;
            now += wait == 0 ? 1 : wait;
        }
        assertTrue(started >= 0.99 * 50 * 60, "started " + started + " in 60 s at 50/s");
        assertTrue(started <= 50 * 60 + 1);
    }

    @Test
    void lateStartFollowedByOnTimeStartsStillRespectsTheWindow() {
        PacedLimiter limiter = new PacedLimiter(10);
        List<Long> starts = new ArrayList<>();
        long now = 0;
        for (int i = 0; i < 200; i++) {
            long wait;
            while ((wait = limiter.tryAcquire(now)) > 0) now += wait;
            starts.add(now);
            if (i % 10 == 3) now += 90_000_000L; // a start delayed by almost a whole interval
        }
        assertTrue(maxInWindow(starts) <= 10, "window " + maxInWindow(starts));
    }

    @Test
    void rateCanBeHalvedAndRestored() {
        PacedLimiter limiter = new PacedLimiter(20);
        limiter.setRate(10);
        assertEquals(10, limiter.rate());
        limiter.setRate(0);
        assertEquals(1, limiter.rate(), "never below 1");
        limiter.setRate(1000);
        assertEquals(20, limiter.rate(), "never above the configured cap");
    }

    /** A start moved to its real send time pushes the window: the start N later must wait for it. */
    @Test
    void aLateSendMovesTheWindow() {
        PacedLimiter l = new PacedLimiter(4);
        long t = 0;
        long first = l.take(t);
        for (int i = 1; i < 4; i++) {
            t += l.waitNanos(t);
            l.take(t);
        }
        long due = t + l.waitNanos(t);
        l.sentAt(first, 5_000_000); // the first INVITE left 5 ms after its slot
        assertEquals(due + 5_000_000, t + l.waitNanos(t), "the fifth start waits for the first's real time + the window");
        l.sentAt(first, 1_000_000); // an earlier report never moves a start back
        assertEquals(due + 5_000_000, t + l.waitNanos(t));
    }

    @Test
    void aStartNotYetOnTheWireHoldsTheStartThatWouldCountFromIt() {
        // the second start after the first must count from the first's write to the socket: while that is unknown it
        // waits, however long ago the first was decided (a send can lag its decision by a hop to another event loop)
        PacedLimiter l = new PacedLimiter(2);
        l.trackWire();
        long s = 1_000_000_000L;
        long first = l.take(0);
        assertEquals(0, l.waitNanos(s / 2 + 3_000_000));
        long second = l.take(s / 2 + 3_000_000);
        long late = 1_100_000_000L; // the window alone would allow a start now
        assertTrue(l.waitNanos(late) > 0, "the first start is not on the wire yet");
        l.sentAt(first, 200_000_000L); // it left 200 ms after its decision
        assertEquals(200_000_000L + 1_006_000_000L + 1 - late, l.waitNanos(late), "so the third waits for 1.006 s after that");
        l.neverSent(second);
        assertEquals(0, l.waitNanos(1_206_000_001L + 600_000_000L));
        // a stamp that never comes holds nothing for ever: after two seconds the decision time stands
        PacedLimiter lost = new PacedLimiter(1);
        lost.trackWire();
        lost.take(0);
        assertTrue(lost.waitNanos(1_500_000_000L) > 0);
        assertEquals(0, lost.waitNanos(2_100_000_000L));
    }
}
