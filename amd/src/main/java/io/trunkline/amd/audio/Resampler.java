package io.trunkline.amd.audio;

/**
 * Sample-rate conversion of whole clips with a Blackman-windowed sinc. The low-pass sits at 0.95 of the
 * lower Nyquist frequency, so converting 16, 44.1 or 48 kHz down to 8 kHz keeps the telephone band and
 * removes what would alias into it. For offline use (files); the live path is 8 kHz already.
 */
public final class Resampler {

    /** Zero crossings of the sinc on each side of the centre. */
    private static final int HALF_TAPS = 16;
    private static final double CUTOFF = 0.95;

    private Resampler() {}

    public static short[] resample(short[] in, int fromRate, int toRate) {
        if (fromRate <= 0 || toRate <= 0) {
            throw new IllegalArgumentException("sample rates must be positive, got " + fromRate + " -> " + toRate);
        }
        if (fromRate == toRate) {
            return in.clone();
        }
        double ratio = (double) toRate / fromRate;
        double fc = CUTOFF * Math.min(1.0, ratio); // cutoff as a fraction of the input Nyquist frequency
        double halfWidth = HALF_TAPS / fc; // in input samples
        int outLength = (int) Math.floor((long) in.length * ratio);
        short[] out = new short[outLength];
        for (int j = 0; j < outLength; j++) {
            double centre = j / ratio;
            int first = (int) Math.ceil(centre - halfWidth);
            int last = (int) Math.floor(centre + halfWidth);
            double acc = 0;
            double norm = 0;
            for (int i = Math.max(first, 0); i <= Math.min(last, in.length - 1); i++) {
                double d = i - centre;
                double w = fc * sinc(fc * d) * blackman(d / halfWidth);
                acc += w * in[i];
                norm += w;
            }
            double v = norm == 0 ? 0 : acc / norm;
            out[j] = (short) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, Math.round(v)));
        }
        return out;
    }

    private static double sinc(double x) {
        if (Math.abs(x) < 1e-12) {
            return 1.0;
        }
        double px = Math.PI * x;
        return Math.sin(px) / px;
    }

    /** Blackman window over t in [-1, 1]. */
    private static double blackman(double t) {
        if (t <= -1 || t >= 1) {
            return 0;
        }
        double x = (t + 1) / 2; // 0..1
        return 0.42 - 0.5 * Math.cos(2 * Math.PI * x) + 0.08 * Math.cos(4 * Math.PI * x);
    }
}
