package io.trunkline.service.campaign;

/**
 * A campaign's own rate: calls released per second, as a token bucket holding at most a tenth of a second's worth,
 * so releases come in small steps. It bounds what the campaign hands to the dial edge; the trunk's pacer, there,
 * bounds what reaches the carrier.
 */
final class RateBudget {
    private double rate;
    private double tokens;
    private long last;

    RateBudget(double rate, long nowNanos) {
        this.rate = rate;
        this.last = nowNanos;
        this.tokens = Math.min(1, rate);
    }

    void rate(double perSecond) { this.rate = perSecond; }

    /** Whole calls that may be released now. */
    int available(long nowNanos) {
        tokens = Math.min(Math.max(1, rate / 10), tokens + rate * (nowNanos - last) / 1e9);
        last = nowNanos;
        return (int) tokens;
    }

    void take(int n) { tokens -= n; }
}
