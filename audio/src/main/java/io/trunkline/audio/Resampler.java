package io.trunkline.audio;

/**
 * Sample-rate conversion for live frames and whole clips: polyphase Kaiser-windowed-sinc low-pass filters with an
 * 80 dB stopband, which remove both the images that upsampling creates and what would alias when downsampling.
 * The band kept ends at 0.85 of the lower rate's Nyquist frequency and the stopband starts at its Nyquist frequency,
 * so 8 kHz keeps the 300–3400 Hz telephone band and nothing above 4 kHz folds into it.
 *
 * <p>Conversions by a factor of 4 or more (8↔48 kHz) run in two stages through twice the lower rate
 * (48→16→8, 8→16→48): the stage at the high rate then only has to clear what would land in the final band, a wide
 * transition that needs few taps, and the narrow transition is done at the low rate. That halves the work of a
 * single filter doing both at 48 kHz.
 *
 * <p>An instance is a stream: it keeps the last input samples and the output phase between calls, so a call cut
 * into 20 ms frames converts exactly as the same samples would in one piece. {@link #process} allocates nothing.
 * One instance per call direction; not thread-safe. The stream lags its input by {@link #delaySamples()} output
 * samples (the filters are linear-phase); {@link #resample} compensates for it on whole clips.
 */
public final class Resampler {

    private static final double PASSBAND = 0.85;

    private final int fromRate;
    private final int toRate;
    private final int maxInput;
    private final PolyphaseStage first;
    /** Null for a single-stage conversion. */
    private final PolyphaseStage second;
    /** Between the two stages: room for the first stage's largest output. */
    private final short[] between;

    /**
     * @param fromRate input rate in Hz
     * @param toRate output rate in Hz
     * @param maxInputSamples the largest input a single {@link #process} call will be given (e.g. 960 for 20 ms at
     *        48 kHz); the buffers are sized for it once
     * @throws IllegalArgumentException for non-positive values or a rate pair that reduces to an up factor above
     *         4096 (no standard pair does)
     */
    public Resampler(int fromRate, int toRate, int maxInputSamples) {
        this(fromRate, toRate, maxInputSamples, false);
    }

    private Resampler(int fromRate, int toRate, int maxInputSamples, boolean aligned) {
        if (fromRate <= 0 || toRate <= 0) {
            throw new IllegalArgumentException("sample rates must be positive, got " + fromRate + " -> " + toRate);
        }
        if (maxInputSamples <= 0) {
            throw new IllegalArgumentException("maxInputSamples must be positive, got " + maxInputSamples);
        }
        this.fromRate = fromRate;
        this.toRate = toRate;
        this.maxInput = maxInputSamples;
        int lower = Math.min(fromRate, toRate);
        int higher = Math.max(fromRate, toRate);
        double pass = PASSBAND * lower / 2;
        double stop = lower / 2.0;
        int mid = 2 * lower;
        if (higher % lower == 0 && higher / lower >= 4 && higher % mid == 0) {
            // at the mid rate (twice the lower), only [mid - stop, ...] would fold back into [0, stop]
            double wideStop = mid - stop;
            if (fromRate > toRate) {
                first = new PolyphaseStage(fromRate, mid, maxInputSamples, pass, wideStop, aligned);
                second = new PolyphaseStage(mid, toRate, first.maxOutputSamples(maxInputSamples), pass, stop, aligned);
            } else {
                first = new PolyphaseStage(fromRate, mid, maxInputSamples, pass, stop, aligned);
                second = new PolyphaseStage(mid, toRate, first.maxOutputSamples(maxInputSamples), pass, wideStop,
                        aligned);
            }
            between = new short[first.maxOutputSamples(maxInputSamples)];
        } else {
            first = new PolyphaseStage(fromRate, toRate, maxInputSamples, pass, stop, aligned);
            second = null;
            between = null;
        }
    }

    public int fromRate() {
        return fromRate;
    }

    public int toRate() {
        return toRate;
    }

    /** Output samples by which the stream lags its input (rounded). */
    public int delaySamples() {
        double seconds = (double) first.centre / ((double) first.fromRate * first.up);
        if (second != null) {
            seconds += (double) second.centre / ((double) second.fromRate * second.up);
        }
        return (int) Math.round(seconds * toRate);
    }

    /** The most output samples a call with {@code inputSamples} of input can produce. */
    public int maxOutputSamples(int inputSamples) {
        int n = first.maxOutputSamples(inputSamples);
        return second == null ? n : second.maxOutputSamples(n);
    }

    /**
     * Converts the next {@code length} input samples.
     *
     * @return the number of samples written to {@code out} from {@code outOffset}: exactly length × to / from when
     *         that is whole (20 ms frames between 8, 16 and 48 kHz), otherwise it varies by one between calls
     * @throws IllegalArgumentException if length exceeds the maximum given at construction or out has no room;
     *         nothing is consumed then
     */
    public int process(short[] in, int offset, int length, short[] out, int outOffset) {
        if (length < 0 || length > maxInput) {
            throw new IllegalArgumentException("input length must be 0.." + maxInput + " samples, got " + length);
        }
        int count = first.outputCount(length);
        if (second != null) {
            count = second.outputCount(count);
        }
        if (outOffset < 0 || out.length - outOffset < count) {
            throw new IllegalArgumentException("output needs room for " + count + " samples at offset " + outOffset
                    + ", array holds " + out.length);
        }
        if (second == null) {
            return first.process(in, offset, length, out, outOffset);
        }
        int n = first.process(in, offset, length, between, 0);
        return second.process(between, 0, n, out, outOffset);
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
        int g = PolyphaseStage.gcd(fromRate, toRate);
        int outLength = (int) ((long) in.length * (toRate / g) / (fromRate / g));
        short[] out = new short[outLength];
        if (in.length == 0) {
            return out;
        }
        Resampler r = new Resampler(fromRate, toRate, in.length, true);
        short[] scratch = new short[r.maxOutputSamples(in.length)];
        int n = r.process(in, 0, in.length, scratch, 0);
        System.arraycopy(scratch, 0, out, 0, Math.min(n, outLength));
        // the last outputs need input beyond the end: flush with silence until they are out
        short[] silence = new short[in.length];
        while (n < outLength) {
            int m = r.process(silence, 0, silence.length, scratch, 0);
            System.arraycopy(scratch, 0, out, n, Math.min(m, outLength - n));
            n += m;
        }
        return out;
    }
}
