package io.trunkline.media.pipeline;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The 20 ms media clock. Each shard thread ticks its sessions at absolute deadlines, parking until each one, so
 * scheduling error never accumulates into drift: a late tick is followed by an early one. Sessions are spread over
 * a small fixed number of shards (the least loaded takes a new session), and within a shard over {@value #SLOTS}
 * phases 5 ms apart: a session in phase k is ticked at start + k·5 ms + n·20 ms. Ticking every session at the same
 * instant sent each process's packets in one burst per 20 ms, and the peer's event loop then read that whole burst
 * before it could write its own, which made packets late on both sides. In the load harness at 500 calls, phases
 * together with spreading sessions over the I/O loops took the late fraction from 13-31 % to 3-6 %; ten phases
 * did no better than four and cost more CPU in wake-ups.
 * A phase's task list is a copy-on-write array, so ticking allocates nothing.
 */
public final class MediaClock implements AutoCloseable {
    public static final long PERIOD_NANOS = 20_000_000;
    /** Phases per period. */
    public static final int SLOTS = 4;
    private static final long SLOT_NANOS = PERIOD_NANOS / SLOTS;
    /** Behind by more than this (a stalled or suspended process) the shard restarts its grid instead of bursting. */
    private static final long RESYNC_NANOS = 1_000_000_000;
    private static final Logger log = LoggerFactory.getLogger(MediaClock.class);

    /** Work done on every tick; must return quickly and never block. */
    @FunctionalInterface
    public interface Task {
        void tick(long deadlineNanos);
    }

    private final Shard[] shards;

    /** @param threads shard threads, 1..64 */
    public MediaClock(int threads) {
        if (threads < 1 || threads > 64) {
            throw new IllegalArgumentException("media clock threads=" + threads + ": must be in 1..64");
        }
        shards = new Shard[threads];
        for (int i = 0; i < threads; i++) {
            shards[i] = new Shard("media-clock-" + i);
            shards[i].start();
        }
    }

    /** Adds a task to the least loaded shard; it is ticked from the shard's next deadline on. */
    public void add(Task task) {
        Shard best = shards[0];
        for (Shard s : shards) if (s.size() < best.size()) best = s;
        best.add(task);
    }

    /**
     * Removes a task. When this returns no tick of it is running or will start, so the caller may free what the
     * task uses (a codec's native state).
     */
    public void remove(Task task) {
        for (Shard s : shards) s.remove(task);
    }

    public int tasks() {
        int n = 0;
        for (Shard s : shards) n += s.size();
        return n;
    }

    /** Times a shard fell more than a second behind and restarted its grid. */
    public long resyncs() {
        long n = 0;
        for (Shard s : shards) n += s.resyncs.get();
        return n;
    }

    @Override
    public void close() {
        for (Shard s : shards) s.running = false;
        for (Shard s : shards) {
            LockSupport.unpark(s);
            try {
                s.join(1_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static final class Shard extends Thread {
        private static final Task[] NONE = new Task[0];
        /** Tasks per phase; each phase's array is replaced, never changed, so a pass reads it without a lock. */
        final AtomicReferenceArray<Task[]> slots = new AtomicReferenceArray<>(SLOTS);
        volatile boolean running = true;
        final AtomicLong resyncs = new AtomicLong();
        /** Held for a whole pass over a phase's tasks, so that {@link #remove} can wait out a pass in progress. */
        final ReentrantLock pass = new ReentrantLock();
        private volatile int size;

        Shard(String name) {
            super(name);
            setDaemon(true);
            setPriority(Thread.MAX_PRIORITY);
            for (int k = 0; k < SLOTS; k++) slots.set(k, NONE);
        }

        int size() { return size; }

        synchronized void add(Task t) {
            int best = 0;
            for (int k = 1; k < SLOTS; k++) if (slots.get(k).length < slots.get(best).length) best = k;
            Task[] cur = slots.get(best);
            Task[] next = Arrays.copyOf(cur, cur.length + 1);
            next[cur.length] = t;
            slots.set(best, next);
            size++;
        }

        synchronized void remove(Task t) {
            removal:
            for (int k = 0; k < SLOTS; k++) {
                Task[] cur = slots.get(k);
                for (int i = 0; i < cur.length; i++) {
                    if (cur[i] == t) {
                        Task[] next = new Task[cur.length - 1];
                        System.arraycopy(cur, 0, next, 0, i);
                        System.arraycopy(cur, i + 1, next, i, cur.length - i - 1);
                        slots.set(k, next);
                        size--;
                        break removal;
                    }
                }
            }
            pass.lock();
            pass.unlock();
        }

        @Override
        public void run() {
            PassFlush.install();
            PassFlush flush = PassFlush.current();
            long start = System.nanoTime();
            long n = 1;
            while (running) {
                for (int k = 0; k < SLOTS && running; k++) {
                    if (slots.get(k).length == 0) continue; // nothing in this phase: no wake-up for it
                    long deadline = start + n * PERIOD_NANOS + k * SLOT_NANOS;
                    long wait;
                    while (running && (wait = deadline - System.nanoTime()) > 0) LockSupport.parkNanos(wait);
                    if (!running) return;
                    pass.lock();
                    try {
                        for (Task t : slots.get(k)) {
                            try {
                                t.tick(deadline);
                            } catch (RuntimeException e) {
                                log.warn("media clock task failed", e);
                            }
                        }
                    } finally {
                        pass.unlock();
                    }
                    try {
                        flush.dispatch();
                    } catch (RuntimeException e) {
                        log.warn("media clock flush failed", e);
                    }
                }
                if (size == 0) {
                    // idle: wait out the period rather than spin over empty phases
                    long wait;
                    long end = start + (n + 1) * PERIOD_NANOS;
                    while (running && size == 0 && (wait = end - System.nanoTime()) > 0) LockSupport.parkNanos(wait);
                }
                n++;
                long behind = System.nanoTime() - (start + n * PERIOD_NANOS);
                if (behind > RESYNC_NANOS) {
                    resyncs.incrementAndGet();
                    start = System.nanoTime() - PERIOD_NANOS;
                    n = 1;
                }
            }
        }
    }
}
