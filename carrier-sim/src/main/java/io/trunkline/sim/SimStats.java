package io.trunkline.sim;

import io.trunkline.sip.stir.VerificationResult;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** What the simulator saw; tests assert on it and `sim` prints it on exit. */
public final class SimStats {
    final LongAdder invites = new LongAdder();
    final LongAdder answered = new LongAdder();
    final LongAdder confirmed = new LongAdder();
    final LongAdder policed = new LongAdder();
    final LongAdder challenged = new LongAdder();
    final LongAdder cancelled = new LongAdder();
    final LongAdder byesReceived = new LongAdder();
    final LongAdder byesSent = new LongAdder();
    final Map<Integer, LongAdder> finals = new ConcurrentHashMap<>();
    final LongAdder identityVerified = new LongAdder();
    final Map<Integer, LongAdder> identityFailures = new ConcurrentHashMap<>();
    volatile VerificationResult lastIdentity;
    private static final int MAX_ARRIVALS = 200_000;
    private final long[] arrivals = new long[MAX_ARRIVALS];
    private int arrivalCount;

    /** INVITEs that reached the simulator (first transmissions; retransmissions are absorbed below it). */
    public long invites() { return invites.sum(); }
    public long answered() { return answered.sum(); }
    /** Answered calls whose ACK arrived. */
    public long confirmed() { return confirmed.sum(); }
    /** INVITEs refused by the CPS policer. */
    public long policed() { return policed.sum(); }
    public long challenged() { return challenged.sum(); }
    public long cancelled() { return cancelled.sum(); }
    public long byesReceived() { return byesReceived.sum(); }
    public long byesSent() { return byesSent.sum(); }

    /** Count of final responses sent with this status. */
    public long finals(int status) {
        LongAdder a = finals.get(status);
        return a == null ? 0 : a.sum();
    }

    synchronized void recordArrival(long nanos) {
        if (arrivalCount < MAX_ARRIVALS) arrivals[arrivalCount++] = nanos;
    }

    /**
     * System.nanoTime() of each INVITE's arrival (first transmissions only: retransmissions are absorbed below the
     * simulator), for CPS assertions on what the wire carried. The first 200,000 are kept.
     */
    public synchronized long[] inviteArrivals() {
        return java.util.Arrays.copyOf(arrivals, arrivalCount);
    }

    /** The most of these sorted nanosecond timestamps that fall within any sliding one-second window. */
    public static int maxInAnySecond(long[] t) {
        return maxInAnyWindow(t, 1_000_000_000L);
    }

    /** The most timestamps (sorted, nanoseconds) inside any sliding window of {@code windowNanos}. */
    public static int maxInAnyWindow(long[] t, long windowNanos) {
        int max = 0;
        int lo = 0;
        for (int hi = 0; hi < t.length; hi++) {
            while (t[hi] - t[lo] >= windowNanos) lo++;
            max = Math.max(max, hi - lo + 1);
        }
        return max;
    }

    /** INVITEs whose Identity header verified. */
    public long identityVerified() { return identityVerified.sum(); }

    /** INVITEs refused for their Identity, by RFC 8224 code. */
    public long identityFailures(int code) {
        LongAdder a = identityFailures.get(code);
        return a == null ? 0 : a.sum();
    }

    /** The latest verification result, with decoded header and claims, for assertions. */
    public VerificationResult lastIdentity() { return lastIdentity; }

    void countFinal(int status) { finals.computeIfAbsent(status, k -> new LongAdder()).increment(); }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("invites=" + invites() + " answered=" + answered() + " confirmed=" + confirmed()
                + " policed=" + policed() + " challenged=" + challenged() + " cancelled=" + cancelled()
                + " bye-in=" + byesReceived() + " bye-out=" + byesSent());
        finals.forEach((k, v) -> sb.append(" ").append(k).append("=").append(v.sum()));
        if (identityVerified() > 0 || !identityFailures.isEmpty()) {
            sb.append(" identity-ok=").append(identityVerified());
            identityFailures.forEach((k, v) -> sb.append(" identity-").append(k).append("=").append(v.sum()));
        }
        return sb.toString();
    }
}
