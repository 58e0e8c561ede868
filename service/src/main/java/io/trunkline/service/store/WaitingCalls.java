package io.trunkline.service.store;

/**
 * The number of calls waiting in the store, read at most every 100 ms: the API's admission check and the metrics
 * both want it, and a COUNT per request would cost more than the insert it guards. Calls admitted since the last
 * read are added in, so a burst between two reads cannot overshoot the bound.
 */
public final class WaitingCalls {
    private static final long REFRESH_NANOS = 100_000_000L;

    private final CallStore store;
    private long readAtNanos;
    private long count;
    private boolean read;

    public WaitingCalls(CallStore store) {
        this.store = store;
    }

    public synchronized long get() {
        long now = System.nanoTime();
        if (!read || now - readAtNanos > REFRESH_NANOS) {
            count = store.pendingCount();
            readAtNanos = now;
            read = true;
        }
        return count;
    }

    /** Counts {@code n} calls admitted now, until the next read sees them in the store. */
    public synchronized void admitted(int n) {
        count += n;
    }
}
