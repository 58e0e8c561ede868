package io.trunkline.media.pipeline;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One consumer's bounded frame queue. The media clock copies each frame in ({@link #offer}) and never waits: when
 * the consumer has fallen {@code capacity} frames behind, the frame is dropped and counted. A shared pool drains
 * the queue; at most one drain per tap runs at a time, so the consumer sees its callbacks serially and in order.
 * Rare control events (marks, DTMF, end of call) go through {@link #post} and run before queued frames. A drain
 * delivers at most {@link #BATCH} frames before going to the back of the pool's queue, so one busy consumer cannot
 * keep a pool thread from the others (a consumer that blocks inside a callback still holds its thread).
 */
public final class ConsumerTap implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(ConsumerTap.class);
    static final int BATCH = 8;

    private final String name;
    private final FrameConsumer consumer;
    private final Executor executor;
    private final LongAdder globalDrops;
    private final short[][] frames;
    private final int[] sampleCounts;
    private final long[] frameIndexes;
    /** Written by the clock thread only. */
    private final AtomicLong tail = new AtomicLong();
    /** Written by the draining thread only. */
    private final AtomicLong head = new AtomicLong();
    private final ConcurrentLinkedQueue<Runnable> control = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();
    private volatile boolean closed;

    public ConsumerTap(String name, FrameConsumer consumer, int capacity, int frameSamples, Executor executor,
                       LongAdder globalDrops) {
        if (capacity < 1 || capacity > 1_000) {
            throw new IllegalArgumentException("consumer queue capacity=" + capacity + ": must be in 1..1000");
        }
        this.name = name;
        this.consumer = consumer;
        this.executor = executor;
        this.globalDrops = globalDrops;
        this.frames = new short[capacity][frameSamples];
        this.sampleCounts = new int[capacity];
        this.frameIndexes = new long[capacity];
    }

    /** Copies a frame in for delivery; false (and counted) when the consumer is too far behind. One producer. */
    public boolean offer(short[] pcm, int samples, long frameIndex) {
        if (closed) return false;
        long t = tail.get();
        if (t - head.get() >= frames.length) {
            dropped.incrementAndGet();
            globalDrops.increment();
            return false;
        }
        int slot = (int) (t % frames.length);
        System.arraycopy(pcm, 0, frames[slot], 0, samples);
        sampleCounts[slot] = samples;
        frameIndexes[slot] = frameIndex;
        tail.lazySet(t + 1);
        schedule();
        return true;
    }

    /** Queues a control event to run on the consumer's serial drain, ahead of frames still queued. */
    public void post(Runnable event) {
        control.add(event);
        schedule();
    }

    private void schedule() {
        if (scheduled.compareAndSet(false, true)) {
            try {
                executor.execute(this);
            } catch (RejectedExecutionException e) {
                scheduled.set(false);
            }
        }
    }

    @Override
    public void run() {
        while (true) {
            drain();
            scheduled.set(false);
            boolean more = !control.isEmpty() || (!closed && tail.get() != head.get());
            if (!more) return;
            if (tail.get() - head.get() >= BATCH) {
                // Still busy: requeue behind the other consumers rather than looping on this thread.
                schedule();
                return;
            }
            if (!scheduled.compareAndSet(false, true)) return;
        }
    }

    private void drain() {
        Runnable event;
        while ((event = control.poll()) != null) {
            try {
                event.run();
            } catch (RuntimeException e) {
                failed(e);
            }
        }
        long h = head.get();
        long t = Math.min(tail.get(), h + BATCH);
        while (h < t && !closed) {
            int slot = (int) (h % frames.length);
            try {
                consumer.onFrame(frames[slot], sampleCounts[slot], frameIndexes[slot]);
            } catch (RuntimeException e) {
                failed(e);
            }
            head.lazySet(++h);
        }
    }

    private void failed(RuntimeException e) {
        if (errors.getAndIncrement() == 0) log.warn("consumer {} threw; further errors are only counted", name, e);
    }

    /** Stops frame delivery; control events already posted (and posted later) still run. */
    public void close() { closed = true; }

    public String name() { return name; }

    public long dropped() { return dropped.get(); }

    public long errors() { return errors.get(); }
}
