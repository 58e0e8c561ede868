package io.trunkline.media.bridge;

import io.trunkline.media.assistant.AssistantSession;

/** Test audio: a sine tone in 20 ms frames, and the frequency at which a signal's power peaks. */
final class Tone {
    private Tone() {}

    static short[] sine(double hz, int amplitude, int samples) {
        short[] s = new short[samples];
        for (int i = 0; i < samples; i++) {
            s[i] = (short) Math.round(amplitude * Math.sin(2 * Math.PI * hz * i / AssistantSession.SAMPLE_RATE));
        }
        return s;
    }

    /** The frequency (in steps of 5 Hz over the telephone band) where the Goertzel power of {@code pcm} is highest. */
    static double peakHz(short[] pcm) {
        double best = 0;
        double bestPower = -1;
        for (double hz = 200; hz <= 3800; hz += 5) {
            double p = goertzel(pcm, hz);
            if (p > bestPower) {
                bestPower = p;
                best = hz;
            }
        }
        return best;
    }

    /** Fraction of the signal's energy at {@code hz}; a clean tone is near 1. */
    static double purity(short[] pcm, double hz) {
        double energy = 0;
        for (short s : pcm) energy += (double) s * s;
        return goertzel(pcm, hz) * 2 / pcm.length / energy;
    }

    private static double goertzel(short[] pcm, double hz) {
        double w = 2 * Math.PI * hz / AssistantSession.SAMPLE_RATE;
        double coeff = 2 * Math.cos(w);
        double s1 = 0;
        double s2 = 0;
        for (short x : pcm) {
            double s0 = x + coeff * s1 - s2;
            s2 = s1;
            s1 = s0;
        }
        return s1 * s1 + s2 * s2 - coeff * s1 * s2;
    }
}
