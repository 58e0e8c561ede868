package io.trunkline.media.net;

import io.trunkline.media.pipeline.FrameConsumer;
import java.util.ArrayList;
import java.util.List;

/** Test audio: tone generation, a collecting consumer and frequency estimation (Goertzel). */
final class Audio {
    private Audio() {}

    static short[] tone(double hz, int ms, int amplitude) {
        short[] pcm = new short[8 * ms];
        for (int i = 0; i < pcm.length; i++) pcm[i] = (short) (amplitude * Math.sin(2 * Math.PI * hz * i / 8000.0));
        return pcm;
    }

    /** Goertzel power of {@code hz} over the samples. */
    static double power(short[] x, double hz) {
        double w = 2 * Math.PI * hz / 8000.0;
        double c = 2 * Math.cos(w);
        double s1 = 0, s2 = 0;
        for (short v : x) {
            double s0 = v + c * s1 - s2;
            s2 = s1;
            s1 = s0;
        }
        return s1 * s1 + s2 * s2 - c * s1 * s2;
    }

    /** The frequency, on a 25 Hz grid from 100 to 3900 Hz, with the most power. */
    static double dominant(short[] x) {
        double best = 0, bestHz = 0;
        for (double hz = 100; hz < 3900; hz += 25) {
            double p = power(x, hz);
            if (p > best) {
                best = p;
                bestHz = hz;
            }
        }
        return bestHz;
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
