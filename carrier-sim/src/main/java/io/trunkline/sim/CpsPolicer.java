package io.trunkline.sim;

import java.util.ArrayDeque;

/**
 * A carrier's CPS cap: at most {@code limit} INVITEs accepted in any sliding one-second window; the rest get 503.
 * Sliding, not per calendar second, because that is the strictest reading a carrier may apply, so a dialer that
 * passes here passes anywhere.
 */
final class CpsPolicer {
    private static final long WINDOW_NANOS = 1_000_000_000L;
    private final int limit;
    private final ArrayDeque<Long> accepted = new ArrayDeque<>();

    CpsPolicer(int limit) {
        this.limit = limit;
    }

    /** True if an INVITE arriving now is within the limit (and counts it), false if it must be refused. */
    synchronized boolean tryAccept(long nowNanos) {
        while (!accepted.isEmpty() && nowNanos - accepted.peekFirst() >= WINDOW_NANOS) accepted.pollFirst();
        if (accepted.size() >= limit) return false;
        accepted.addLast(nowNanos);
        return true;
    }
}
