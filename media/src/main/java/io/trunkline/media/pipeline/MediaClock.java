package io.trunkline.media.pipeline;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The 20 ms media clock. Each shard thread ticks its sessions at absolute deadlines start + n·20 ms, parking until
 * each one, so scheduling error never accumulates into drift: a late tick is followed by an early one. Sessions are
 * spread over a small fixed number of shards (the least loaded takes a new session); a shard's session list is a
 * copy-on-write array, so ticking allocates nothing.
 */
public final class MediaClock implements AutoCloseable {
    public static final long PERIOD_NANOS = 20_000_000;
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
        for (Shard s : shards) if (s.tasks.length < best.tasks.length) best = s;
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
        for (Shard s : shards) n += s.tasks.length;
        return n;
    }

    public long ticks() {
        long n = 0;
        for (Shard s : shards) n += s.ticks.get();
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
        volatile Task[] tasks = NONE;
        volatile boolean running = true;
        final AtomicLong ticks = new AtomicLong();
        final AtomicLong resyncs = new AtomicLong();
        /** Held for a whole pass over the tasks, so that {@link #remove} can wait out a pass in progress. */
        final ReentrantLock pass = new ReentrantLock();

        Shard(String name) {
            super(name);
            setDaemon(true);
            setPriority(Thread.MAX_PRIORITY);
        }

        synchronized void add(Task t) {
            Task[] next = Arrays.copyOf(tasks, tasks.length + 1);
            next[tasks.length] = t;
            tasks = next;
        }

        synchronized void remove(Task t) {
            Task[] cur = tasks;
            for (int i = 0; i < cur.length; i++) {
                if (cur[i] == t) {
                    Task[] next = new Task[cur.length - 1];
                    System.arraycopy(cur, 0, next, 0, i);
                    System.arraycopy(cur, i + 1, next, i, cur.length - i - 1);
                    tasks = next;
                    break;
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
                long deadline = start + n * PERIOD_NANOS;
                long wait;
                while (running && (wait = deadline - System.nanoTime()) > 0) LockSupport.parkNanos(wait);
                if (!running) return;
                pass.lock();
                try {
                    for (Task t : tasks) {
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
                ticks.incrementAndGet();
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
