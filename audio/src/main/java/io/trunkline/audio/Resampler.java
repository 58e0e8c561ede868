package io.trunkline.audio;

import java.util.Arrays;

/**
 * Rational sample-rate conversion with a polyphase Kaiser-windowed-sinc low-pass, for live frames and whole clips.
 *
 * <p>The rates reduce to an up factor L and a down factor M (8→48 kHz is L=6, M=1; 48→8 kHz is L=1, M=6). The one
 * prototype filter runs at L × the input rate and does both jobs: it removes the images that upsampling creates and
 * what would alias when downsampling. Its passband ends at 0.85 and its stopband (80 dB) starts at 1.0 of the lower
 * rate's Nyquist frequency, so 8 kHz keeps the 300–3400 Hz telephone band and nothing above 4 kHz folds into it.
 *
 * <p>An instance is a stream: it keeps the last input samples and the output phase between calls, so a call cut
 * into 20 ms frames converts exactly as the same samples would in one piece. {@link #process} allocates nothing.
 * One instance per call direction; not thread-safe. The stream is delayed by {@link #delaySamples()} output
 * samples (the filter is linear-phase); {@link #resample} compensates for it on whole clips.
 */
public final class Resampler {

    /** Stopband attenuation in dB, and the transition band as a fraction of the lower Nyquist frequency. */
    private static final double ATTENUATION_DB = 80;
    private static final double PASSBAND_EDGE = 0.85;
    private static final double STOPBAND_EDGE = 1.0;
    /** Largest up factor accepted: keeps the filter bank small for any pair of standard rates. */
    private static final int MAX_UP_FACTOR = 4096;

    private final int fromRate;
    private final int toRate;
    private final int up;
    private final int down;
    /** Taps per phase. */
    private final int taps;
    /** Phase p's taps at [p * taps, (p + 1) * taps), reversed so the dot product walks input forwards. */
    private final float[] coefficients;
    private final int maxInput;
    /** taps - 1 samples of history followed by room for maxInput new samples. */
    private final float[] history;
    /** Filter centre in upsampled samples: the delay of the stream. */
    private final int centre;
    /** Position of the next output in upsampled samples, relative to the first sample of the next input. */
    private int position;

    /**
     * @param fromRate input rate in Hz
     * @param toRate output rate in Hz
     * @param maxInputSamples the largest input a single {@link #process} call will be given (e.g. 960 for 20 ms at
     *        48 kHz); the history buffer is sized for it once
     */
    public Resampler(int fromRate, int toRate, int maxInputSamples) {
        this(fromRate, toRate, maxInputSamples, false);
    }

    private Resampler(int fromRate, int toRate, int maxInputSamples, boolean startAtCentre) {
        if (fromRate <= 0 || toRate <= 0) {
            throw new IllegalArgumentException("sample rates must be positive, got " + fromRate + " -> " + toRate);
        }
        if (maxInputSamples <= 0) {
            throw new IllegalArgumentException("maxInputSamples must be positive, got " + maxInputSamples);
        }
        int g = gcd(fromRate, toRate);
        this.up = toRate / g;
        this.down = fromRate / g;
        if (up > MAX_UP_FACTOR) {
            throw new IllegalArgumentException("rate pair " + fromRate + " -> " + toRate + " reduces to " + up + "/"
                    + down + "; the up factor must be at most " + MAX_UP_FACTOR + " (use standard rates)");
        }
        this.fromRate = fromRate;
        this.toRate = toRate;
        this.maxInput = maxInputSamples;

        double upsampledRate = (double) fromRate * up;
        double lowerNyquist = Math.min(fromRate, toRate) / 2.0;
        double transition = (STOPBAND_EDGE - PASSBAND_EDGE) * lowerNyquist / upsampledRate; // cycles per sample
        double cutoff = (PASSBAND_EDGE + STOPBAND_EDGE) / 2 * lowerNyquist / upsampledRate;
        // Kaiser's estimate of the length that reaches the attenuation over that transition
        int estimate = (int) Math.ceil((ATTENUATION_DB - 7.95) / (2.285 * 2 * Math.PI * transition)) + 1;
        this.taps = Math.max(1, (estimate + up - 1) / up);
        int length = taps * up;
        this.centre = (length - 1) / 2;
        this.coefficients = design(length, centre, cutoff, up, taps);
        this.history = new float[taps - 1 + maxInputSamples];
        this.position = startAtCentre ? centre : 0;
    }

    public int fromRate() {
        return fromRate;
    }

    public int toRate() {
        return toRate;
    }

    /** Output samples by which the stream lags its input. */
    public int delaySamples() {
        return centre / down;
    }

    /** The most output samples a call with {@code inputSamples} of input can produce. */
    public int maxOutputSamples(int inputSamples) {
        return (int) (((long) inputSamples * up + down - 1) / down) + 1;
    }

    /** Forgets the history, as at the start of a new stream. */
    public void reset() {
        Arrays.fill(history, 0f);
        position = 0;
    }

    /**
     * Converts the next {@code length} input samples.
     *
     * @return the number of samples written to {@code out} from {@code outOffset}: exactly length × to / from when
     *         that is whole (20 ms frames between 8, 16 and 48 kHz), otherwise it varies by one between calls
     * @throws IllegalArgumentException if length exceeds the maximum given at construction or out has no room
     */
    public int process(short[] in, int offset, int length, short[] out, int outOffset) {
        if (length < 0 || length > maxInput) {
            throw new IllegalArgumentException("input length must be 0.." + maxInput + " samples, got " + length);
        }
        int limit = length * up;
        int count = position < limit ? (limit - position + down - 1) / down : 0;
        if (outOffset < 0 || out.length - outOffset < count) {
            throw new IllegalArgumentException("output needs room for " + count + " samples at offset " + outOffset
                    + ", array holds " + out.length);
        }
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

    /**
     * Converts a whole clip, aligned with its input (the filter delay removed), with silence assumed beyond both
     * ends. The output holds floor(length × to / from) samples.
     */
    public static short[] resample(short[] in, int fromRate, int toRate) {
        if (fromRate <= 0 || toRate <= 0) {
            throw new IllegalArgumentException("sample rates must be positive, got " + fromRate + " -> " + toRate);
        }
        if (fromRate == toRate) {
            return in.clone();
        }
        Resampler r = new Resampler(fromRate, toRate, Math.max(1, in.length), true);
        int outLength = (int) ((long) in.length * r.up / r.down);
        short[] out = new short[outLength];
        short[] scratch = new short[r.maxOutputSamples(in.length)];
        int n = r.process(in, 0, in.length, scratch, 0);
        System.arraycopy(scratch, 0, out, 0, Math.min(n, outLength));
        // the last outputs need input beyond the end: flush with silence, one filter length at a time
        short[] silence = new short[Math.min(in.length, r.taps)];
        while (n < outLength && silence.length > 0) {
            int m = r.process(silence, 0, silence.length, scratch, 0);
            System.arraycopy(scratch, 0, out, n, Math.min(m, outLength - n));
            n += m;
        }
        return out;
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

    private static int gcd(int a, int b) {
        while (b != 0) {
            int t = a % b;
            a = b;
            b = t;
        }
        return a;
    }
}
