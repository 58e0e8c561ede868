package io.trunkline.bench.load;

import io.trunkline.sip.ua.SipTarget;

/**
 * One load run: {@code calls} full calls (INVITE, 200, ACK, hold, BYE, 200) started at {@code rate} per second.
 *
 * @param to           the callee: a number prefix (6 digits are appended per call), or one fixed user
 * @param fixedCallee  true when {@code to} is dialled as is
 * @param concurrency  most calls in flight at once; 0 = unbounded (the rate alone paces)
 * @param timeoutMs    how long to wait for the last calls after the last INVITE
 */
public record LoadSpec(SipTarget trunk, double rate, int calls, long holdMs, int concurrency, String fromUser,
                       String to, boolean fixedCallee, long timeoutMs) {
    public LoadSpec {
        if (rate <= 0 || rate > 50_000) throw new IllegalArgumentException("rate must be > 0 and <= 50000 calls/s, got " + rate);
        if (calls < 1 || calls > 10_000_000) throw new IllegalArgumentException("calls must be 1..10000000, got " + calls);
        if (holdMs < 0 || holdMs > 3_600_000) throw new IllegalArgumentException("hold-ms must be 0..3600000, got " + holdMs);
        if (concurrency < 0 || concurrency > 1_000_000) throw new IllegalArgumentException("concurrency must be 0..1000000, got " + concurrency);
        io.trunkline.sip.message.HeaderSafety.requireUser("to", to);
        if (timeoutMs < 1000) throw new IllegalArgumentException("timeoutMs must be at least 1000, got " + timeoutMs);
    }

    /** The callee of the i-th call. */
    String callee(int i) {
        return fixedCallee ? to : to + (100000 + i % 900000);
    }
}
