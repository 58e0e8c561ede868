package io.trunkline.media.pipeline;

import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A small fixed pool for consumer drains and session callbacks that allocates nothing per task: a bounded lock-free
 * MPMC array queue (Vyukov's sequence-numbered slots) and workers that park with {@link LockSupport} when idle. The
 * JDK's ThreadPoolExecutor allocates a condition node every time an idle worker waits, i.e. once per 20 ms frame.
 */
public final class WorkerPool implements Executor, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(WorkerPool.class);
    private static final int RUNNING = 0;
    private static final int PARKED = 1;
    private static final RejectedExecutionException FULL =
            new RejectedExecutionException("media worker queue full");

    private final AtomicReferenceArray<Runnable> slots;
    private final AtomicLongArray sequences;
    private final int mask;
    private final AtomicLong enqueue = new AtomicLong();
    private final AtomicLong dequeue = new AtomicLong();
    private final Thread[] workers;
    private final AtomicIntegerArray states;
    private final AtomicLong rejected = new AtomicLong();
    private volatile boolean running = true;

    /**
     * @param threads  workers, 1..256
     * @param capacity queued tasks at most, rounded up to a power of two, 16..1048576
     */
    public WorkerPool(String name, int threads, int capacity) {
        if (threads < 1 || threads > 256) {
            throw new IllegalArgumentException("worker threads=" + threads + ": must be in 1..256");
        }
        if (capacity < 16 || capacity > 1 << 20) {
            throw new IllegalArgumentException("worker queue capacity=" + capacity + ": must be in 16..1048576");
        }
        int size = Integer.highestOneBit(capacity - 1) << 1;
        slots = new AtomicReferenceArray<>(size);
        sequences = new AtomicLongArray(size);
        for (int i = 0; i < size; i++) sequences.set(i, i);
        mask = size - 1;
        states = new AtomicIntegerArray(threads);
        workers = new Thread[threads];
        for (int i = 0; i < threads; i++) {
            int id = i;
            workers[i] = new Thread(() -> work(id), name + "-" + i);
            workers[i].setDaemon(true);
            workers[i].start();
        }
    }

    @Override
    public void execute(Runnable task) {
        if (!running || !offer(task)) {
            rejected.incrementAndGet();
            throw FULL;
        }
        for (int i = 0; i < workers.length; i++) {
            if (states.get(i) == PARKED && states.compareAndSet(i, PARKED, RUNNING)) {
                LockSupport.unpark(workers[i]);
                return;
            }
        }
    }

    private boolean offer(Runnable task) {
        while (true) {
            long pos = enqueue.get();
            int i = (int) (pos & mask);
            long seq = sequences.get(i);
            if (seq == pos) {
                if (enqueue.compareAndSet(pos, pos + 1)) {
                    slots.set(i, task);
                    sequences.set(i, pos + 1);
                    return true;
                }
            } else if (seq < pos) {
                return false;
            }
        }
    }

    private Runnable poll() {
        while (true) {
            long pos = dequeue.get();
            int i = (int) (pos & mask);
            long seq = sequences.get(i);
            if (seq == pos + 1) {
                if (dequeue.compareAndSet(pos, pos + 1)) {
                    Runnable r = slots.getAndSet(i, null);
                    sequences.set(i, pos + mask + 1);
                    return r;
                }
            } else if (seq < pos + 1) {
                return null;
            }
        }
    }

    private void work(int id) {
        while (running) {
            Runnable r = poll();
            if (r == null) {
                states.set(id, PARKED);
                // Re-check after announcing: a task offered before the announcement would otherwise wait.
                r = poll();
                if (r == null) {
                    LockSupport.park(this);
                    states.set(id, RUNNING);
                    continue;
                }
                states.set(id, RUNNING);
            }
            try {
                r.run();
            } catch (RuntimeException e) {
                log.warn("media worker task failed", e);
            }
        }
    }

    public long rejected() { return rejected.get(); }

    @Override
    public void close() {
        running = false;
        for (Thread t : workers) LockSupport.unpark(t);
        for (Thread t : workers) {
            try {
                t.join(1_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
