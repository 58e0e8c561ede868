package io.trunkline.media.record;

import io.trunkline.audio.WavWriter;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Records one call to a WAV file without touching the disk on the media thread. The media thread
 * {@link #offer offers} each 20 ms frame; it is copied into one of a fixed set of preallocated slots (a
 * single-producer, single-consumer ring) and the {@link RecordingWriter}'s thread writes it later. When the ring is
 * full (the disk is stalled) the frame is dropped and counted: the call's audio never waits for the recording.
 *
 * <p>{@link Layout#STEREO} puts the callee in the left channel and the engine (what the call hears from us) in the
 * right; {@link Layout#MONO} mixes them with saturation. {@link #close()} waits for the writer to drain the ring and
 * fix the WAV header.
 */
public final class CallRecorder implements AutoCloseable {

    /** How the two directions are stored. */
    public enum Layout {
        /** One channel: callee + engine, saturated. */
        MONO,
        /** Left: callee; right: engine. */
        STEREO
    }

    private static final VarHandle HEAD;
    private static final VarHandle TAIL;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            HEAD = l.findVarHandle(CallRecorder.class, "head", long.class);
            TAIL = l.findVarHandle(CallRecorder.class, "tail", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final RecordingWriter owner;
    private final WavWriter wav;
    private final Layout layout;
    private final int frameSamples;
    private final short[][] callee;
    private final short[][] engine;
    /** Written by the writer thread only: the mono mix of one frame. */
    private final short[] mix;
    private final int mask;
    /** Next slot the producer fills; published with release semantics. */
    @SuppressWarnings("unused")
    private volatile long tail;
    /** Next slot the consumer reads; published with release semantics. */
    @SuppressWarnings("unused")
    private volatile long head;
    private final AtomicLong dropped = new AtomicLong();
    private volatile boolean closing;
    private volatile IOException failure;
    private long written;
    final CompletableFuture<Void> finished = new CompletableFuture<>();

    CallRecorder(RecordingWriter owner, WavWriter wav, Layout layout, int frameSamples, int slots) {
        this.owner = owner;
        this.wav = wav;
        this.layout = layout;
        this.frameSamples = frameSamples;
        this.callee = new short[slots][frameSamples];
        this.engine = new short[slots][frameSamples];
        this.mix = new short[frameSamples];
        this.mask = slots - 1;
    }

    public Path file() {
        return wav.file();
    }

    public Layout layout() {
        return layout;
    }

    /** Samples per frame this recorder takes (20 ms at its rate). */
    public int frameSamples() {
        return frameSamples;
    }

    /** Frames dropped because the ring was full or the recorder closing or failed. */
    public long droppedFrames() {
        return dropped.get();
    }

    /** Frames on disk (or in the file's write buffer); exact once {@link #close()} returned. */
    public synchronized long writtenFrames() {
        return written;
    }

    /**
     * Hands one 20 ms frame of both directions to the recorder; called by the media thread, never blocks, allocates
     * nothing.
     *
     * @param calleeFrame what the callee said, or null for silence
     * @param engineFrame what the engine played to the callee, or null for silence
     * @return false when the frame was dropped (ring full, recorder closed or failed)
     */
    public boolean offer(short[] calleeFrame, short[] engineFrame) {
        long t = (long) TAIL.getOpaque(this);
        if (closing || failure != null || t - (long) HEAD.getAcquire(this) > mask) {
            dropped.incrementAndGet();
            return false;
        }
        int slot = (int) (t & mask);
        copy(calleeFrame, callee[slot]);
        copy(engineFrame, engine[slot]);
        TAIL.setRelease(this, t + 1);
        return true;
    }

    private void copy(short[] from, short[] to) {
        if (from == null) {
            Arrays.fill(to, (short) 0);
        } else {
            System.arraycopy(from, 0, to, 0, frameSamples);
        }
    }

    /**
     * Call after the media thread's last {@link #offer}. Stops taking frames, waits until the writer has written what was queued and fixed the header, and
     * unregisters.
     *
     * @throws IOException when writing failed (the file then holds what was written before the failure)
     */
    @Override
    public void close() throws IOException {
        closing = true;
        owner.wake();
        try {
            finished.get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while closing the recording " + wav.file(), e);
        } catch (TimeoutException e) {
            throw new IOException("recording " + wav.file() + " not finished after 30 s", e);
        } catch (ExecutionException e) {
            throw new IOException("recording " + wav.file() + " failed", e.getCause());
        }
        if (failure != null) {
            throw failure;
        }
    }

    // --- writer thread side ---

    /** Writes the queued frames; returns how many. Called by the writer thread only. */
    int drain() {
        if (failure != null) {
            return 0;
        }
        long h = (long) HEAD.getOpaque(this);
        long t = (long) TAIL.getAcquire(this);
        int n = 0;
        try {
            for (; h < t; h++, n++) {
                int slot = (int) (h & mask);
                if (layout == Layout.STEREO) {
                    wav.writeStereo(callee[slot], engine[slot], 0, frameSamples);
                } else {
                    short[] a = callee[slot];
                    short[] b = engine[slot];
                    for (int i = 0; i < frameSamples; i++) {
                        mix[i] = (short) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, a[i] + b[i]));
                    }
                    wav.writeMono(mix, 0, frameSamples);
                }
                HEAD.setRelease(this, h + 1);
            }
        } catch (IOException e) {
            failure = e;
        }
        synchronized (this) {
            written += n;
        }
        return n;
    }

    boolean isClosing() {
        return closing || failure != null;
    }

    /** Drains what is left and closes the file; completes {@link #finished}. Called by the writer thread only. */
    void finish() {
        drain();
        try {
            wav.close();
        } catch (IOException e) {
            if (failure == null) {
                failure = e;
            }
        }
        finished.complete(null);
    }
}
