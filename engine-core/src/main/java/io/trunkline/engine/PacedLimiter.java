package io.trunkline.engine;

/**
 * A calls-per-second limit that a carrier's policer can never catch out. Two rules at once:
 * <ul>
 * <li>pacing: starts are at least 1/N s apart, so there are no micro-bursts;</li>
 * <li>a sliding window over the actual start times: no interval of one second ever holds more than N starts,
 *     even when a start was delayed and the next one came on time.</li>
 * </ul>
 * Not Bucket4j: its token bucket allows a burst of the bucket's capacity, and a carrier polices the burst, not the
 * average. The rate can be lowered and raised at run time (AIMD back-pressure). Thread-safe; O(1) per acquire.
 */
public final class PacedLimiter {
    /**
     * The window a carrier polices, plus 6 ms: network and processing jitter can bring INVITEs closer together at the
     * carrier than they left here, so "N per second" is held over 1.006 s. That costs 0.6 % of the rate, inside the
     * 1 % the dial edge may leave unused while calls wait, with room for a loaded machine's late wake-ups.
     */
    private static final long SECOND = 1_006_000_000L;

    private final int maxRate;
    private int ceiling;         // this process's share of maxRate (several dialer nodes on one trunk); maxRate alone
    private long[] starts;       // ring of the last `rate` start times
    private boolean[] onWire;    // whether each start's time is its INVITE's write to the socket (or it was never sent)
    private int head;
    private int count;
    private int rate;
    private long interval;
    private long minGap;
    private long nextSlot;
    private long taken; // starts recorded so far: the ticket of the next one

    public PacedLimiter(int ratePerSecond) {
        if (ratePerSecond < 1 || ratePerSecond > 100_000) throw new IllegalArgumentException("cps must be 1..100000, got " + ratePerSecond);
        this.maxRate = ratePerSecond;
        this.ceiling = ratePerSecond;
        this.starts = new long[ratePerSecond];
        this.onWire = new boolean[ratePerSecond];
        setRate(ratePerSecond);
    }

    public synchronized int rate() { return rate; }

    public int maxRate() { return maxRate; }

    /** The highest rate allowed now: the configured maximum, or this process's share of it. */
    public synchronized int ceiling() { return ceiling; }

    /**
     * Caps the rate at {@code share} (1..the configured maximum) and lowers the current rate to it when above: when
     * several processes dial one trunk, each holds its share, so the trunk's limit holds for their sum. Raising
     * the ceiling leaves the rate where it is; {@link #setRate} may then climb to it.
     */
    public synchronized void setCeiling(int share) {
        ceiling = Math.max(1, Math.min(maxRate, share));
        if (rate > ceiling) setRate(ceiling);
    }

    /** Changes the rate (1..the ceiling); the window shrinks or grows with it. */
    public synchronized void setRate(int newRate) {
        int r = Math.max(1, Math.min(ceiling, newRate));
        if (r == rate) return;
        long[] kept = new long[r];
        boolean[] keptOnWire = new boolean[r];
        int keep = Math.min(count, r);
        for (int i = 0; i < keep; i++) {
            kept[i] = starts[Math.floorMod(head - keep + i, starts.length)];
            keptOnWire[i] = onWire[Math.floorMod(head - keep + i, starts.length)];
        }
        starts = kept;
        onWire = keptOnWire;
        count = keep;
        head = keep % r;
        rate = r;
        interval = (SECOND + r - 1) / r; // pacing and window agree: steady pacing never waits on the window
        minGap = 1_000_000_000L / r;
    }

    /**
     * Takes a start at {@code now} if allowed and returns 0; otherwise returns how many nanoseconds to wait before
     * asking again (nothing is taken then).
     */
    public synchronized long tryAcquire(long now) {
        long wait = waitNanos(now);
        if (wait > 0) return wait;
        take(now);
        return 0;
    }

    /** Nanoseconds until a start would be allowed (0 = now); takes nothing. For combining several limits. */
    public synchronized long waitNanos(long now) {
        long wait = nextSlot - now;
        if (count == rate) {
            long oldest = starts[head]; // the ring is full: head is the oldest start
            wait = Math.max(wait, oldest + SECOND - now + 1);
            // a start whose INVITE has not reached the wire yet will leave later than recorded: the start N places after
            // it must count from its real send, so it waits for it (a stamp that never comes is given up after two seconds)
            if (trackWire && !onWire[head] && now - oldest < 2 * SECOND) wait = Math.max(wait, 1_000_000L);
        }
        return Math.max(0, wait);
    }

    /**
     * Records a start at {@code now}; call only after {@link #waitNanos} returned 0 for the same instant.
     *
     * @return a ticket for {@link #sentAt}, to move this start to when the INVITE really left
     */
    public synchronized long take(long now) {
        long ticket = taken++;
        starts[head] = now;
        onWire[head] = !trackWire;
        head = (head + 1) % rate;
        if (count < rate) count++;
        // A late start (a loaded machine wakes threads late) keeps the schedule: the next slot stays on the original
        // grid, but never closer than 1/N to this start, so lateness is caught up without a micro-burst and the
        // sliding window above bounds any second. After a pause of over a second the grid starts afresh.
        long late = now - nextSlot;
        nextSlot = late < 0 || late > SECOND ? now + interval : Math.max(nextSlot + interval, now + minGap);
        return ticket;
    }

    /** Starts recorded at or after {@code since} that the window still holds (for figures, not for decisions). */
    public synchronized int startsSince(long since) {
        int n = 0;
        for (int i = 0; i < count; i++) if (starts[Math.floorMod(head - 1 - i, starts.length)] - since >= 0) n++;
        return n;
    }

    /**
     * Moves a recorded start to the instant its INVITE was handed to the socket, when that was later: the decision
     * is taken on the dispatcher, the send happens a hop later on the call's event loop, and a carrier counts the
     * wire. The sliding window then holds actual send times, so a send delayed by the hop cannot crowd the next
     * second. Ignored once the start has left the window's ring.
     */
    public synchronized void sentAt(long ticket, long sentNanos) {
        int slot = slot(ticket);
        if (slot < 0) return;
        if (sentNanos > starts[slot]) starts[slot] = sentNanos;
        onWire[slot] = true;
    }

    /** The start of {@code ticket} sent nothing (its call ended first): its recorded time stands. */
    public synchronized void neverSent(long ticket) {
        int slot = slot(ticket);
        if (slot >= 0) onWire[slot] = true;
    }

    /**
     * From now on a start counts as on the wire only once {@link #sentAt} or {@link #neverSent} says so, and the
     * window waits for the oldest one it relies on (the dial edge, which learns each INVITE's write time).
     */
    public synchronized void trackWire() {
        trackWire = true;
    }

    private boolean trackWire;

    private int slot(long ticket) {
        if (ticket < taken - count || ticket >= taken) return -1;
        int back = (int) (taken - 1 - ticket);
        return Math.floorMod(head - 1 - back, starts.length);
    }
}
