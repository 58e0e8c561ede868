package io.trunkline.bench.amd;

import java.util.Random;

/** Deterministic 8 kHz test signals for the AMD benchmarks (speed does not depend on what is said). */
final class AmdSignals {

    private AmdSignals() {}

    /**
     * Alternating 400 ms voiced bursts (a 140 Hz harmonic series with vibrato, about -20 dBFS) and 600 ms of line
     * noise (about -45 dBFS), so the VAD and the beep filters see both kinds of frame.
     */
    static short[] speechLike(int frames, long seed) {
        Random r = new Random(seed);
        short[] pcm = new short[frames * 160];
        double phase = 0;
        for (int i = 0; i < pcm.length; i++) {
            double t = i / 8000.0;
            double x = r.nextGaussian() * 180;
            if ((i / 8) % 1000 < 400) {
                double f0 = 140 + 10 * Math.sin(2 * Math.PI * 4 * t);
                phase += 2 * Math.PI * f0 / 8000;
                for (int h = 2; h <= 20; h++) {
                    x += 3000.0 / h * Math.sin(h * phase);
                }
            }
            pcm[i] = (short) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, Math.round(x)));
        }
        return pcm;
    }
}
