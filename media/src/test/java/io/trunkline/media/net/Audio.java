package io.trunkline.media.net;

import io.trunkline.audio.Tones;
import io.trunkline.media.pipeline.FrameConsumer;
import java.util.ArrayList;
import java.util.List;

/** Test audio: the shared tone helpers at 8 kHz, and a consumer that collects what a session delivers. */
final class Audio {
    private Audio() {}

    static short[] tone(double hz, int ms, int amplitude) {
        return Tones.sine(hz, amplitude, 8 * ms, 8000);
    }

    /** The frequency with the most Goertzel power (see {@link Tones#peakHz}). */
    static double dominant(short[] x) {
        return Tones.peakHz(x, 0, x.length, 8000);
    }

    /** Collects frames; {@link #loud()} returns the samples of frames that are not silence. */
    static final class Collector implements FrameConsumer {
        private final List<short[]> frames = new ArrayList<>();
        private final List<Long> indexes = new ArrayList<>();

        @Override
        public synchronized void onFrame(short[] pcm, int samples, long frameIndex) {
            frames.add(java.util.Arrays.copyOf(pcm, samples));
            indexes.add(frameIndex);
        }

        synchronized int frames() { return frames.size(); }

        synchronized List<Long> indexes() { return new ArrayList<>(indexes); }

        synchronized short[] loud() {
            List<short[]> loud = new ArrayList<>();
            for (short[] f : frames) {
                long energy = 0;
                for (short v : f) energy += (long) v * v;
                if (energy / f.length > 100_000) loud.add(f);
            }
            short[] out = new short[loud.size() * 160];
            for (int i = 0; i < loud.size(); i++) System.arraycopy(loud.get(i), 0, out, i * 160, 160);
            return out;
        }
    }
}
