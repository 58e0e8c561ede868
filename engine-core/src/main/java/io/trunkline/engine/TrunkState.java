package io.trunkline.engine;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * A trunk's live dial-edge state: its pacer, its live calls, AIMD back-pressure and its health. A carrier's 503
 * halves the rate (multiplicative decrease, at most once per second so one burst of 503s counts once); every quiet
 * second adds a twentieth of the configured rate back (additive increase). Health follows {@link TrunkHealth}: down
 * after enough silent failures in a window, up again at the first response of any kind.
 */
final class TrunkState {
    private static final long SECOND = 1_000_000_000L;

    final TrunkConfig config;
    final PacedLimiter limiter;
    final AtomicInteger live = new AtomicInteger();
    final LongAdder backPressure = new LongAdder();
    final LongAdder invites = new LongAdder();
    /** Out of rotation after repeated silence; cleared by any response, to a probe or to a call. */
    volatile boolean down;
    /** Silent failures (no response at all, refused connections) since the trunk last responded, oldest first. */
    private final java.util.ArrayDeque<Long> silentFailures = new java.util.ArrayDeque<>();
    /** While down: when a real call may next be tried on it (half-open), and whether one is out now. */
    private long nextTrialNanos;
    private boolean trialInFlight;
    /** A carrier's Retry-After: no new INVITE to this trunk before this System.nanoTime(). */
    volatile long pausedUntil;
    volatile long nextProbeNanos; // set by the dispatcher and, when the trunk goes down, by a call's event loop
    int roundRobinCredit;
    /** Launched INVITEs whose send time is not yet known, oldest first, with their pacer tickets; dispatcher only. */
    final java.util.ArrayDeque<Unsent> unsent = new java.util.ArrayDeque<>();

    /** A launched INVITE and its pacer ticket. */
    record Unsent(io.trunkline.sip.ua.OutboundCall call, long ticket) {}
    private long lastDecrease;
    private long lastIncrease;

    TrunkState(TrunkConfig config) {
        this.config = config;
        this.limiter = new PacedLimiter(config.cps());
        limiter.trackWire(); // the dial edge stamps each INVITE's write time (settleSendTimes)
    }

    /** Sets this process's share of the trunk's CPS, and restores the full rate at once when the share grew. */
    synchronized void share(int cps) {
        int before = limiter.ceiling();
        limiter.setCeiling(cps);
        if (limiter.ceiling() > before && limiter.rate() == before) limiter.setRate(limiter.ceiling());
    }

    /** INVITEs started in the last second (the pacer's window). */
    int startedLastSecond(long now) {
        return limiter.startsSince(now - SECOND);
    }

    /**
     * Moves the pacer's record of each launched INVITE to when its write to the socket completed (see
     * PacedLimiter#sentAt); one that ended without reaching the wire is released as it stands.
     */
    void settleSendTimes() {
        Unsent u;
        while ((u = unsent.peek()) != null) {
            long sent = u.call().inviteOnWireNanos();
            if (sent == 0 && u.call().state() != io.trunkline.sip.ua.OutboundCall.State.ENDED) break; // not on the wire yet
            if (sent != 0) limiter.sentAt(u.ticket(), sent);
            else limiter.neverSent(u.ticket());
            unsent.poll();
        }
        while (unsent.size() > 1024) limiter.neverSent(unsent.poll().ticket()); // bounded, even if a send is never stamped
    }

    /** Room for a call now: not paused by a Retry-After, below its concurrency limit. Says nothing of health. */
    boolean hasCapacity() {
        return pausedUntil - System.nanoTime() <= 0 && live.get() < config.maxConcurrent();
    }

    /**
     * Counts a silent failure; true when it takes the trunk down: {@code failures} of them within the window with
     * no response in between. One lost response or one stall is not enough.
     */
    synchronized boolean onSilent(long now, TrunkHealth h) {
        trialInFlight = false;
        silentFailures.addLast(now);
        while (silentFailures.size() > h.failures()) silentFailures.pollFirst(); // only the last N matter
        while (!silentFailures.isEmpty() && now - silentFailures.peekFirst() > h.windowMs() * 1_000_000L) silentFailures.pollFirst();
        if (down || silentFailures.size() < h.failures()) return false;
        down = true;
        nextProbeNanos = now + h.probeIntervalMs() * 1_000_000L;
        nextTrialNanos = now + h.retryIntervalMs() * 1_000_000L;
        return true;
    }

    /** Any SIP response from the trunk (to a call or a probe) proves it alive; true when that brings it back. */
    synchronized boolean onHeard() {
        silentFailures.clear();
        trialInFlight = false;
        if (!down) return false;
        down = false;
        return true;
    }

    /**
     * Whether this trunk's last silent failure is older than the other's (a trunk with none counts as oldest): of
     * trunks that are all down, the one that failed longest ago is the least bad, and each failed try moves the next
     * try on to another, so a dead set is walked rather than one trunk hammered.
     */
    boolean failedLongerAgoThan(TrunkState other) {
        Long mine = lastSilent(), theirs = other.lastSilent();
        if (mine == null || theirs == null) return mine == null && theirs != null;
        return mine - theirs < 0;
    }

    private synchronized Long lastSilent() { return silentFailures.peekLast(); }

    /** A down trunk whose next half-open trial is due, with none out. */
    synchronized boolean trialDue(long now) {
        return down && !trialInFlight && now - nextTrialNanos >= 0;
    }

    /** A call goes to this trunk while it is down (a trial, or the least bad when all are down). */
    synchronized void trialStarted(long now, TrunkHealth h) {
        trialInFlight = true;
        nextTrialNanos = now + h.retryIntervalMs() * 1_000_000L;
    }

    /** A call on a down trunk ended without a word from it (not even silence counted, e.g. we cancelled first). */
    synchronized void trialEnded() { trialInFlight = false; }

    /** Honours a 503's Retry-After (at most {@link #MAX_PAUSE_NANOS}): the trunk takes no new call until then. */
    void pause(long now, int retryAfterSeconds) {
        if (retryAfterSeconds <= 0) return;
        long until = now + Math.min(retryAfterSeconds * 1_000_000_000L, MAX_PAUSE_NANOS);
        if (until - pausedUntil > 0) pausedUntil = until;
    }

    private static final long MAX_PAUSE_NANOS = 60_000_000_000L;

    synchronized void onBackPressure(long now) {
        backPressure.increment();
        if (now - lastDecrease < SECOND) return;
        lastDecrease = now;
        lastIncrease = now;
        limiter.setRate(limiter.rate() / 2);
    }

    /** Called by the dispatcher as time passes: restores the rate step by step after back-pressure. */
    synchronized void recover(long now) {
        if (limiter.rate() >= limiter.ceiling() || now - lastIncrease < SECOND) return;
        lastIncrease = now;
        limiter.setRate(limiter.rate() + Math.max(1, config.cps() / 20));
    }
}
