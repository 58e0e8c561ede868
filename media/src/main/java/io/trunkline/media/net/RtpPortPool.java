package io.trunkline.media.net;

import java.util.function.IntPredicate;

/**
 * A configured range of RTP/RTCP port pairs: RTP on an even port, RTCP on the odd port above it (RFC 3550 §11).
 * The pool only tracks which pairs this process holds; whether a pair is really free is decided by binding it, so a
 * pair taken by another process is skipped and the next one tried. Allocation walks the range round-robin so a
 * just-released pair is the last to be reused, which keeps stray packets of an ended call away from a new one.
 */
public final class RtpPortPool {
    private final int first;
    private final int pairs;
    private final boolean[] held;
    private int cursor;
    private int inUse;
    private long bindFailures;

    /**
     * @param first the lowest RTP port, even, 1024..65532
     * @param last  the highest port of the range (RTCP of the last pair), > first, at most 65535
     */
    public RtpPortPool(int first, int last) {
        if (first < 1024 || first > 65532 || (first & 1) != 0) {
            throw new IllegalArgumentException("rtp port range first=" + first + ": must be even and in 1024..65532");
        }
        if (last <= first || last > 65535) {
            throw new IllegalArgumentException("rtp port range last=" + last + ": must be in " + (first + 1) + "..65535");
        }
        this.first = first;
        this.pairs = (last - first + 1) / 2;
        this.held = new boolean[pairs];
    }

    /**
     * Reserves a pair and asks {@code bindPair} to bind it (RTP on the given even port, RTCP on port + 1). A pair
     * whose bind fails is skipped. Returns the RTP port of the bound pair.
     *
     * @throws IllegalStateException when every free pair of the range failed to bind or none is free
     */
    public int acquire(IntPredicate bindPair) {
        for (int attempt = 0; attempt < pairs; attempt++) {
            int pair = reserveNext();
            if (pair < 0) break;
            int port = first + 2 * pair;
            boolean bound = false;
            try {
                bound = bindPair.test(port);
            } finally {
                if (!bound) unreserve(pair, true);
            }
            if (bound) return port;
        }
        throw new IllegalStateException("no free RTP port pair in " + first + ".." + (first + 2 * pairs - 1)
                + " (" + inUse() + " held by this process)");
    }

    /** Returns a pair taken by {@link #acquire}; releasing a pair that is not held is an error. */
    public void release(int rtpPort) {
        int pair = (rtpPort - first) / 2;
        if (rtpPort < first || (rtpPort & 1) != 0 || pair >= pairs) {
            throw new IllegalArgumentException("rtpPort=" + rtpPort + " is not an RTP port of this pool");
        }
        synchronized (this) { // check and release together, so two racing releases cannot both pass the check
            if (!held[pair]) throw new IllegalStateException("rtpPort=" + rtpPort + " is not held");
            unreserve(pair, false);
        }
    }

    /** Pairs held now. */
    public synchronized int inUse() { return inUse; }

    /** Pairs in the range. */
    public int capacity() { return pairs; }

    /** Pairs skipped because a bind failed (usually another process holds one of the ports). */
    public synchronized long bindFailures() { return bindFailures; }

    private synchronized int reserveNext() {
        for (int i = 0; i < pairs; i++) {
            int pair = (cursor + i) % pairs;
            if (!held[pair]) {
                held[pair] = true;
                inUse++;
                cursor = (pair + 1) % pairs;
                return pair;
            }
        }
        return -1;
    }

    private synchronized void unreserve(int pair, boolean failedBind) {
        held[pair] = false;
        inUse--;
        if (failedBind) bindFailures++;
    }
}
