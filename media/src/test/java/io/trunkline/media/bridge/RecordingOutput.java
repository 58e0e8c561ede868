package io.trunkline.media.bridge;

import io.trunkline.media.assistant.AssistantOutput;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** An {@link AssistantOutput} that records what the bridge did to it (the peer under test is the real assistant). */
final class RecordingOutput implements AssistantOutput {
    private short[] pcm = new short[8000];
    private int samples;
    private final List<String> marks = new ArrayList<>();
    private final List<String> disconnects = new ArrayList<>();
    private int clears;
    private int writes;
    private final int capacity;

    RecordingOutput() {
        this(Integer.MAX_VALUE);
    }

    /** Refuses writes past {@code capacity} samples, as a full playout queue does. */
    RecordingOutput(int capacity) {
        this.capacity = capacity;
    }

    @Override
    public synchronized boolean write(short[] in, int offset, int count) {
        if ((long) samples + count > capacity) return false;
        if (samples + count > pcm.length) pcm = Arrays.copyOf(pcm, Math.max(pcm.length * 2, samples + count));
        System.arraycopy(in, offset, pcm, samples, count);
        samples += count;
        writes++;
        notifyAll();
        return true;
    }

    @Override
    public synchronized void mark(String name) {
        marks.add(name);
        notifyAll();
    }

    @Override
    public synchronized void clear() {
        clears++;
        notifyAll();
    }

    @Override
    public synchronized void hangup(String reason) {
        throw new AssertionError("the bridge never hangs up by itself");
    }

    @Override
    public synchronized void disconnected(String reason) {
        disconnects.add(reason);
        notifyAll();
    }

    synchronized short[] pcm() { return Arrays.copyOf(pcm, samples); }

    synchronized int writes() { return writes; }

    synchronized List<String> marks() { return List.copyOf(marks); }

    synchronized int clears() { return clears; }

    synchronized List<String> disconnects() { return List.copyOf(disconnects); }

    synchronized void awaitSamples(int n, Duration timeout) throws InterruptedException {
        await(() -> samples >= n, timeout, "samples >= " + n);
    }

    synchronized String awaitDisconnected(Duration timeout) throws InterruptedException {
        await(() -> !disconnects.isEmpty(), timeout, "disconnected");
        return disconnects.get(0);
    }

    synchronized void await(BooleanSupplier condition, Duration timeout, String what) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            long left = end - System.nanoTime();
            if (left <= 0) throw new AssertionError("timed out after " + timeout + " waiting for " + what + "; samples=" + samples
                    + " marks=" + marks + " clears=" + clears + " disconnects=" + disconnects);
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
    }
}
