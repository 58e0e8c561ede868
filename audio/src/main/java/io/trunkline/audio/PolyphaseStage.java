package io.trunkline.audio;

/**
 * One rational conversion stage (up L, down M) with a polyphase Kaiser-windowed-sinc low-pass of 80 dB stopband.
 * The prototype filter runs at L × the input rate; its passband and stopband edges are given in Hz, so a stage in a
 * chain can use the wide transition band the next stage allows. Keeps its history and output phase between calls;
 * {@link #process} allocates nothing.
 */
final class PolyphaseStage {

    static final double ATTENUATION_DB = 80;
    /** Largest up factor accepted: keeps the filter bank small for any pair of standard rates. */
    static final int MAX_UP_FACTOR = 4096;

    final int fromRate;
    final int toRate;
    final int up;
    final int down;
    /** Taps per phase. */
    final int taps;
    /** Phase p's taps at [p * taps, (p + 1) * taps), reversed so the dot product walks input forwards. */
    private final float[] coefficients;
    final int maxInput;
    /** taps - 1 samples of history followed by room for maxInput new samples. */
    private final float[] history;
    /** Filter centre in upsampled samples: the delay of the stage. */
    final int centre;
    /** Position of the next output in upsampled samples, relative to the first sample of the next input. */
    private int position;

    /**
     * @param passbandHz highest frequency kept flat
     * @param stopbandHz lowest frequency attenuated by the full 80 dB
     * @param startAtCentre start the output at the filter centre, so output sample 0 lines up with input sample 0
     *        (for whole clips; live streams start at once and are delayed instead)
     */
    PolyphaseStage(int fromRate, int toRate, int maxInput, double passbandHz, double stopbandHz,
            boolean startAtCentre) {
        int g = gcd(fromRate, toRate);
        this.up = toRate / g;
        this.down = fromRate / g;
        if (up > MAX_UP_FACTOR) {
            throw new IllegalArgumentException("rate pair " + fromRate + " -> " + toRate + " reduces to " + up + "/"
                    + down + "; the up factor must be at most " + MAX_UP_FACTOR + " (use standard rates)");
        }
        this.fromRate = fromRate;
        this.toRate = toRate;
        this.maxInput = maxInput;
        double upsampledRate = (double) fromRate * up;
        double transition = (stopbandHz - passbandHz) / upsampledRate; // cycles per sample
        double cutoff = (passbandHz + stopbandHz) / 2 / upsampledRate;
        // Kaiser's estimate of the length that reaches the attenuation over that transition
        int estimate = (int) Math.ceil((ATTENUATION_DB - 7.95) / (2.285 * 2 * Math.PI * transition)) + 1;
        this.taps = Math.max(1, (estimate + up - 1) / up);
        int length = taps * up;
        this.centre = (length - 1) / 2;
        this.coefficients = design(length, centre, cutoff, up, taps);
        this.history = new float[taps - 1 + maxInput];
        this.position = startAtCentre ? centre : 0;
    }

    /** The number of outputs the next call with {@code length} inputs produces. */
    int outputCount(int length) {
        int limit = length * up;
        return position < limit ? (limit - position + down - 1) / down : 0;
    }

    int maxOutputSamples(int inputSamples) {
        return (int) (((long) inputSamples * up + down - 1) / down) + 1;
    }

    /** Converts {@code length} (≤ maxInput) samples; {@code out} must hold {@link #outputCount}. */
    int process(short[] in, int offset, int length, short[] out, int outOffset) {
        int limit = length * up;
        int base = taps - 1;
        for (int i = 0; i < length; i++) {
            history[base + i] = in[offset + i];
        }
        int t = position;
        int o = outOffset;
        while (t < limit) {
            int k = t / up;
            int phase = t - k * up;
            out[o++] = clamp(dot(phase * taps, k));
            t += down;
        }
        position = t - limit;
        System.arraycopy(history, length, history, 0, base);
        return o - outOffset;
    }

    /** Σ coefficients[c + i] · history[h + i] over the taps, in four partial sums for instruction-level parallelism. */
    private float dot(int c, int h) {
        float[] co = coefficients;
        float[] x = history;
        float a0 = 0;
        float a1 = 0;
        float a2 = 0;
        float a3 = 0;
        int n = taps;
        int i = 0;
        for (; i + 3 < n; i += 4) {
            a0 += co[c + i] * x[h + i];
            a1 += co[c + i + 1] * x[h + i + 1];
            a2 += co[c + i + 2] * x[h + i + 2];
            a3 += co[c + i + 3] * x[h + i + 3];
        }
        for (; i < n; i++) {
            a0 += co[c + i] * x[h + i];
        }
        return (a0 + a1) + (a2 + a3);
    }

    private static short clamp(float v) {
        int r = Math.round(v);
        return (short) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, r));
    }

    /**
     * Windowed-sinc prototype at the upsampled rate, split into phases, each normalised to unity DC gain. It is
     * symmetric about a whole sample ({@code centre}), so the delay is exact; when the length is even the last tap
     * falls outside the window and is zero.
     */
    private static float[] design(int length, int centre, double cutoff, int up, int taps) {
        double beta = 0.1102 * (ATTENUATION_DB - 8.7);
        double i0Beta = besselI0(beta);
        double[] h = new double[length];
        for (int n = 0; n < length; n++) {
            double d = n - centre;
            double r = centre == 0 ? 0 : d / centre;
            if (Math.abs(r) > 1) {
                continue;
            }
            double window = besselI0(beta * Math.sqrt(1 - r * r)) / i0Beta;
            h[n] = 2 * cutoff * sinc(2 * cutoff * d) * window;
        }
        float[] bank = new float[length];
        for (int p = 0; p < up; p++) {
            double sum = 0;
            for (int j = 0; j < taps; j++) {
                sum += h[p + j * up];
            }
            for (int j = 0; j < taps; j++) {
                bank[p * taps + (taps - 1 - j)] = (float) (h[p + j * up] / sum);
            }
        }
        return bank;
    }

    private static double sinc(double x) {
        if (Math.abs(x) < 1e-12) {
            return 1.0;
        }
        double px = Math.PI * x;
        return Math.sin(px) / px;
    }

    /** Modified Bessel function of the first kind, order 0, by its power series. */
    private static double besselI0(double x) {
        double sum = 1;
        double term = 1;
        double q = x * x / 4;
        for (int k = 1; k < 60; k++) {
            term *= q / ((double) k * k);
            sum += term;
            if (term < sum * 1e-16) {
                break;
            }
        }
        return sum;
    }

    static int gcd(int a, int b) {
        while (b != 0) {
            int t = a % b;
            a = b;
            b = t;
        }
        return a;
    }
}
