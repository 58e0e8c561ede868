package io.trunkline.media.rtp;

/**
 * Reception statistics for the one source a session receives, kept as RFC 3550 Appendix A.1 (sequence validation,
 * extended highest sequence, cumulative and interval loss) and A.8 (interarrival jitter) specify, so that the
 * report blocks we send mean what the peer expects. Not thread-safe: the session confines updates to one thread and
 * reads under its own lock.
 */
public final class RtpReceiveStats {
    private static final int SEQ_MOD = 1 << 16;
    private static final int MAX_DROPOUT = 3000;
    private static final int MAX_MISORDER = 100;
    private static final int MIN_SEQUENTIAL = 2;

    private final int clockRate;
    private boolean haveSource;
    private long ssrc;
    private int maxSeq;
    private long cycles;
    private long baseSeq;
    private long badSeq;
    private int probation;
    private long received;
    private long expectedPrior;
    private long receivedPrior;
    private long arrivalBaseNanos;
    private boolean haveTransit;
    private long transit;
    private long jitterQ4;

    public RtpReceiveStats(int clockRate) { this.clockRate = clockRate; }

    /**
     * Accounts one packet. Returns false while a new source is on probation or for a packet A.1 rejects (a jump
     * that is not yet confirmed by the next sequential packet).
     */
    public boolean update(long ssrc, int seq, long timestamp, long arrivalNanos) {
        return update(ssrc, seq, timestamp, arrivalNanos, true);
    }

    /**
     * As {@link #update(long, int, long, long)}; {@code timed} is false for RFC 4733 telephone-events, whose packets
     * all carry their event's start timestamp rather than their send time: they count for loss, not for jitter.
     */
    public boolean update(long ssrc, int seq, long timestamp, long arrivalNanos, boolean timed) {
        if (!haveSource || ssrc != this.ssrc) {
            haveSource = true;
            this.ssrc = ssrc;
            initSeq(seq);
            maxSeq = (seq - 1) & 0xffff;
            probation = MIN_SEQUENTIAL;
            arrivalBaseNanos = arrivalNanos;
            haveTransit = false;
            jitterQ4 = 0;
        }
        if (!updateSeq(seq)) return false;
        if (timed) updateJitter(timestamp, arrivalNanos);
        return true;
    }

    private void initSeq(int seq) {
        baseSeq = seq;
        maxSeq = seq;
        badSeq = SEQ_MOD + 1;
        cycles = 0;
        received = 0;
        receivedPrior = 0;
        expectedPrior = 0;
    }

    private boolean updateSeq(int seq) {
        int udelta = (seq - maxSeq) & 0xffff;
        if (probation > 0) {
            if (seq == ((maxSeq + 1) & 0xffff)) {
                probation--;
                maxSeq = seq;
                if (probation == 0) {
                    initSeq(seq);
                    received++;
                    return true;
                }
            } else {
                probation = MIN_SEQUENTIAL - 1;
                maxSeq = seq;
            }
            return false;
        }
        if (udelta < MAX_DROPOUT) {
            if (seq < maxSeq) cycles += SEQ_MOD;
            maxSeq = seq;
        } else if (udelta <= SEQ_MOD - MAX_MISORDER) {
            if (seq == badSeq) {
                // Two sequential packets after a big jump: the sender restarted its numbering.
                initSeq(seq);
            } else {
                badSeq = (seq + 1) & 0xffff;
                return false;
            }
        }
        received++;
        return true;
    }

    private void updateJitter(long timestamp, long arrivalNanos) {
        long arrival = (arrivalNanos - arrivalBaseNanos) * clockRate / 1_000_000_000L;
        long t = arrival - timestamp;
        if (haveTransit) {
            long d = Math.abs((long) (int) (t - transit));
            jitterQ4 += d - ((jitterQ4 + 8) >> 4);
        }
        haveTransit = true;
        transit = t;
    }

    public boolean haveSource() { return haveSource && probation == 0; }

    public long ssrc() { return ssrc; }

    /** Cycles (multiple of 65536) plus the highest sequence number received. */
    public long extendedHighestSeq() { return cycles + maxSeq; }

    public long received() { return received; }

    public long expected() { return haveSource() ? extendedHighestSeq() - baseSeq + 1 : 0; }

    /** Cumulative packets lost, clamped to the 24-bit signed field of a report block. */
    public int cumulativeLost() {
        long lost = expected() - received;
        return (int) Math.max(-0x800000, Math.min(0x7fffff, lost));
    }

    /** Interarrival jitter in timestamp units (the report block's value). */
    public long jitter() { return jitterQ4 >> 4; }

    public double jitterMs() { return jitter() * 1_000.0 / clockRate; }

    /**
     * The 8-bit fraction lost since the previous call, as A.3 computes it; advances the interval. Call once per
     * report sent.
     */
    public int takeFractionLost() {
        long expected = expected();
        long expectedInterval = expected - expectedPrior;
        expectedPrior = expected;
        long receivedInterval = received - receivedPrior;
        receivedPrior = received;
        long lostInterval = expectedInterval - receivedInterval;
        if (expectedInterval == 0 || lostInterval <= 0) return 0;
        return (int) ((lostInterval << 8) / expectedInterval);
    }
}
