package io.trunkline.media.pipeline;

import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * How late each RTP packet left against its 20 ms deadline (actual minus scheduled send time), in 250 µs buckets up
 * to 50 ms plus an overflow bucket. Recording allocates nothing.
 */
public final class SendTimeHistogram {
    public static final long BUCKET_NANOS = 250_000;
    public static final long LATE_NANOS = 5_000_000;
    private static final int BUCKETS = 201;

    private final AtomicLongArray counts = new AtomicLongArray(BUCKETS);
    private final LongAdder total = new LongAdder();
    private final LongAdder late = new LongAdder();

    public void record(long errorNanos) {
        long e = Math.max(0, errorNanos);
        counts.incrementAndGet((int) Math.min(BUCKETS - 1, e / BUCKET_NANOS));
        total.increment();
        if (e > LATE_NANOS) late.increment();
    }

    public long count() { return total.sum(); }

    /** Packets sent more than 5 ms after their deadline. */
    public long lateOver5ms() { return late.sum(); }

    /** The upper edge, in microseconds, of the bucket holding quantile {@code q} (0..1); 0 when empty. */
    public long quantileMicros(double q) {
        long n = 0;
        for (int i = 0; i < BUCKETS; i++) n += counts.get(i);
        if (n == 0) return 0;
        long rank = (long) Math.ceil(q * n);
        long seen = 0;
        for (int i = 0; i < BUCKETS; i++) {
            seen += counts.get(i);
            if (seen >= rank) return (i + 1) * BUCKET_NANOS / 1_000;
        }
        return BUCKETS * BUCKET_NANOS / 1_000;
    }
}
