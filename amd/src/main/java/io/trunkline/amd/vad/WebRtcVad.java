package io.trunkline.amd.vad;

import com.sun.jna.Pointer;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One WebRTC voice activity detector (libfvad) instance: one per call, not thread-safe, freed by
 * {@link #close()}. Frames must be 10, 20 or 30 ms at 8, 16, 32 or 48 kHz.
 */
public final class WebRtcVad implements AutoCloseable {

    private static final AtomicInteger LIVE_HANDLES = new AtomicInteger();

    private final int sampleRate;
    private final int mode;
    private Pointer handle;

    /**
     * @param mode aggressiveness 0 (quality) to 3 (very aggressive): higher modes call fewer frames voice
     * @param sampleRate 8000, 16000, 32000 or 48000 Hz
     */
    public WebRtcVad(int mode, int sampleRate) {
        if (mode < 0 || mode > 3) {
            throw new IllegalArgumentException("vad_mode must be 0..3, got " + mode);
        }
        if (sampleRate != 8000 && sampleRate != 16000 && sampleRate != 32000 && sampleRate != 48000) {
            throw new IllegalArgumentException("sample_rate must be 8000, 16000, 32000 or 48000 Hz, got " + sampleRate);
        }
        FvadNative.load();
        Pointer created = FvadNative.fvad_new();
        if (created == null) {
            throw new IllegalStateException("fvad_new failed (out of memory)");
        }
        handle = created;
        LIVE_HANDLES.incrementAndGet();
        this.mode = mode;
        this.sampleRate = sampleRate;
        configure();
    }

    /** Number of native VAD handles created and not yet closed, in this JVM. */
    public static int liveHandles() {
        return LIVE_HANDLES.get();
    }

    public int mode() {
        return mode;
    }

    public int sampleRate() {
        return sampleRate;
    }

    /** Samples in a frame of the given length at this detector's rate. */
    public int samplesPerFrame(int frameMs) {
        return sampleRate / 1000 * frameMs;
    }

    /**
     * Classifies one frame.
     *
     * @param frame samples; exactly {@code length} of them, starting at index 0, are analysed
     * @param length samples in the frame: 10, 20 or 30 ms at this detector's rate
     * @return true when the frame holds voice
     */
    public boolean isVoice(short[] frame, int length) {
        Pointer h = openHandle();
        if (length != samplesPerFrame(10) && length != samplesPerFrame(20) && length != samplesPerFrame(30)) {
            throw new IllegalArgumentException("frame length must be " + samplesPerFrame(10) + ", " + samplesPerFrame(20)
                    + " or " + samplesPerFrame(30) + " samples (10/20/30 ms at " + sampleRate + " Hz), got " + length);
        }
        if (frame.length < length) {
            throw new IllegalArgumentException("frame holds " + frame.length + " samples, fewer than length " + length);
        }
        int r = FvadNative.fvad_process(h, frame, length);
        if (r < 0) {
            throw new IllegalStateException("fvad_process failed for a " + length + "-sample frame");
        }
        return r == 1;
    }

    /** Forgets the signal history, keeping the mode and rate (libfvad's reset would clear both). */
    public void reset() {
        FvadNative.fvad_reset(openHandle());
        configure();
    }

    @Override
    public void close() {
        Pointer h = handle;
        if (h != null) {
            handle = null;
            FvadNative.fvad_free(h);
            LIVE_HANDLES.decrementAndGet();
        }
    }

    private void configure() {
        Pointer h = openHandle();
        if (FvadNative.fvad_set_mode(h, mode) != 0 || FvadNative.fvad_set_sample_rate(h, sampleRate) != 0) {
            close();
            throw new IllegalStateException("libfvad rejected mode " + mode + " / rate " + sampleRate);
        }
    }

    private Pointer openHandle() {
        Pointer h = handle;
        if (h == null) {
            throw new IllegalStateException("VAD is closed");
        }
        return h;
    }
}
