package io.trunkline.audio;

/**
 * Pure tones and the Goertzel measure of them: test signals for the media path and the checks on what arrived
 * (the frequency of a recorded tone, not just "not silence"). Not for per-frame use: it allocates.
 */
public final class Tones {
    private Tones() {}

    /** A sine of {@code hz} at {@code amplitude} (of 32767), {@code samples} long, at {@code rate}. */
    public static short[] sine(double hz, int amplitude, int samples, int rate) {
        short[] s = new short[samples];
        for (int i = 0; i < samples; i++) s[i] = (short) Math.round(amplitude * Math.sin(2 * Math.PI * hz * i / rate));
        return s;
    }

    /** The frequency, in 5 Hz steps over 200..3800 Hz, where the Goertzel power of {@code pcm} peaks. */
    public static double peakHz(short[] pcm, int from, int length, int rate) {
        double best = 0;
        double bestPower = -1;
        for (double hz = 200; hz <= 3800; hz += 5) {
            double p = power(pcm, from, length, hz, rate);
            if (p > bestPower) {
                bestPower = p;
                best = hz;
            }
        }
        return best;
    }

    /** The fraction of the signal's energy at {@code hz}: near 1 for a clean tone, near 0 for silence or noise. */
    public static double purity(short[] pcm, int from, int length, double hz, int rate) {
        double energy = 0;
        for (int i = from; i < from + length; i++) energy += (double) pcm[i] * pcm[i];
        return energy == 0 ? 0 : power(pcm, from, length, hz, rate) * 2 / length / energy;
    }

    /** Amplitude (of 32767) of the component at {@code hz} over pcm[from, to), by a single-bin DFT. */
    public static double amplitudeAt(short[] pcm, int from, int to, int rate, double hz) {
        double re = 0;
        double im = 0;
        for (int i = from; i < to; i++) {
            double a = 2 * Math.PI * hz * i / rate;
            re += pcm[i] * Math.cos(a);
            im += pcm[i] * Math.sin(a);
        }
        return 2 * Math.hypot(re, im) / (to - from);
    }

    /** Root mean square level of a span. */
    public static double rms(short[] pcm, int from, int length) {
        double energy = 0;
        for (int i = from; i < from + length; i++) energy += (double) pcm[i] * pcm[i];
        return Math.sqrt(energy / Math.max(1, length));
    }

    private static double power(short[] pcm, int from, int length, double hz, int rate) {
        double coeff = 2 * Math.cos(2 * Math.PI * hz / rate);
        double s1 = 0;
        double s2 = 0;
        for (int i = from; i < from + length; i++) {
            double s0 = pcm[i] + coeff * s1 - s2;
            s2 = s1;
            s1 = s0;
        }
        return s1 * s1 + s2 * s2 - coeff * s1 * s2;
    }
}
