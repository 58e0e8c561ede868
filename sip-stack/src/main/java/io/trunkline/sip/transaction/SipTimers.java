package io.trunkline.sip.transaction;

/**
 * RFC 3261 §17 timer base values in milliseconds: T1 (RTT estimate), T2 (max non-INVITE retransmit interval),
 * T4 (max time a message stays in the network). All transaction timers derive from these.
 */
public record SipTimers(long t1, long t2, long t4) {
    public static final SipTimers RFC3261 = new SipTimers(500, 4000, 5000);

    public SipTimers {
        if (t1 < 10 || t1 > 10_000) throw new IllegalArgumentException("t1 must be 10..10000 ms, got " + t1);
        if (t2 < t1 || t2 > 60_000) throw new IllegalArgumentException("t2 must be t1.." + 60_000 + " ms, got " + t2);
        if (t4 < 0 || t4 > 60_000) throw new IllegalArgumentException("t4 must be 0..60000 ms, got " + t4);
    }

    /** Timers B, F, H, J, L, M: 64*T1. */
    public long transactionTimeout() { return 64 * t1; }
}
