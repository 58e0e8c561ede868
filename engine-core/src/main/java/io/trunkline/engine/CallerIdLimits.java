package io.trunkline.engine;

import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * Per-caller-ID CPS: one {@link PacedLimiter} per calling number, created when the number first dials and dropped
 * once it has been idle longer than the limiter's window (a fresh limiter then behaves the same), so a campaign over
 * a million caller IDs holds only the ones active in the last second. Used by the dispatcher thread only.
 */
final class CallerIdLimits {
    private static final long IDLE_NANOS = 1_100_000_000L;

    private final int cps;
    private final Map<String, PacedLimiter> limiters = new HashMap<>();
    private final Map<String, Long> lastStart = new HashMap<>();
    private long nextSweep;

    CallerIdLimits(int cps) {
        this.cps = cps;
    }

    long waitNanos(String callerId, long now) {
        PacedLimiter l = limiters.get(callerId);
        return l == null ? 0 : l.waitNanos(now);
    }

    void take(String callerId, long now) {
        limiters.computeIfAbsent(callerId, k -> new PacedLimiter(cps)).take(now);
        lastStart.put(callerId, now);
        if (now - nextSweep >= 0) {
            nextSweep = now + IDLE_NANOS;
            for (Iterator<Map.Entry<String, Long>> it = lastStart.entrySet().iterator(); it.hasNext(); ) {
                Map.Entry<String, Long> e = it.next();
                if (now - e.getValue() > IDLE_NANOS) {
                    limiters.remove(e.getKey());
                    it.remove();
                }
            }
        }
    }

    int tracked() { return limiters.size(); }
}
