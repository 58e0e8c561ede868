package io.trunkline.media.record;

import io.trunkline.audio.WavWriter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The one thread that writes every call's recording to disk. It wakes every {@value #POLL_MS} ms (and when a
 * recorder closes), drains each recorder's ring and writes through a {@link WavWriter}. Polling, rather than a
 * signal per frame, keeps the media thread's cost of recording to a copy into a slot.
 */
public final class RecordingWriter implements AutoCloseable {

    static final int POLL_MS = 10;
    /** Ring slots per call: 64 × 20 ms = 1.28 s of disk stall absorbed before frames are dropped. */
    public static final int DEFAULT_SLOTS = 64;

    private final Thread thread;
    private final CopyOnWriteArrayList<CallRecorder> recorders = new CopyOnWriteArrayList<>();
    private volatile boolean running = true;

    public RecordingWriter() {
        thread = Thread.ofPlatform().name("trunkline-recording-writer").daemon(true).unstarted(this::run);
        thread.start();
    }

    /**
     * Starts recording a call.
     *
     * @param sampleRate 8000..48000 Hz; frames are 20 ms at this rate
     * @param slots ring size in frames, a power of two from 2 to 4096
     */
    public CallRecorder start(Path file, int sampleRate, CallRecorder.Layout layout, int slots) throws IOException {
        if (!running) {
            throw new IllegalStateException("recording writer is closed");
        }
        if (sampleRate < 8000 || sampleRate > 48000 || sampleRate % 50 != 0) {
            throw new IllegalArgumentException("recording sample rate must be 8000..48000 Hz and a multiple of 50, got "
                    + sampleRate);
        }
        if (slots < 2 || slots > 4096 || Integer.bitCount(slots) != 1) {
            throw new IllegalArgumentException("recording ring slots must be a power of two 2..4096, got " + slots);
        }
        WavWriter wav = WavWriter.create(file, sampleRate, layout == CallRecorder.Layout.STEREO ? 2 : 1,
                WavWriter.Encoding.PCM16);
        CallRecorder r = new CallRecorder(this, wav, layout, sampleRate / 50, slots);
        recorders.add(r);
        return r;
    }

    public CallRecorder start(Path file, int sampleRate, CallRecorder.Layout layout) throws IOException {
        return start(file, sampleRate, layout, DEFAULT_SLOTS);
    }

    /** Recorders started and not yet finished. */
    public int activeRecorders() {
        return recorders.size();
    }

    public boolean isAlive() {
        return thread.isAlive();
    }

    void wake() {
        LockSupport.unpark(thread);
    }

    private void run() {
        while (running || !recorders.isEmpty()) {
            for (CallRecorder r : recorders) {
                if (r.isClosing() || !running) {
                    r.finish();
                    recorders.remove(r);
                } else {
                    r.drain();
                }
            }
            if (running) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(POLL_MS));
            }
        }
    }

    /** Finishes every open recording (drained, header fixed) and stops the thread. */
    @Override
    public void close() {
        running = false;
        wake();
        try {
            thread.join(TimeUnit.SECONDS.toMillis(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
