package io.trunkline.audio;

/** Test signals and their measurement. */
final class Signals {

    private Signals() {}

    static short[] tone(int rate, double hz, double amplitude, int samples) {
        short[] s = new short[samples];
        for (int i = 0; i < samples; i++) {
            s[i] = (short) Math.round(amplitude * Math.sin(2 * Math.PI * hz * i / rate));
        }
        return s;
    }

    static double rms(short[] s, int from, int to) {
        return Tones.rms(s, from, to - from);
    }


    /** Frequency of the strongest DFT bin (5 Hz steps up to Nyquist), over the middle half of the signal. */
    static int dominantHz(short[] s, int rate) {
        int from = s.length / 4;
        int to = from + s.length / 2;
        double best = -1;
        int bestHz = 0;
        for (int hz = 50; hz < rate / 2; hz += 5) {
            double p = Tones.amplitudeAt(s, from, to, rate, hz);
            if (p > best) {
                best = p;
                bestHz = hz;
            }
        }
        return bestHz;
    }

    static double db(double ratio) {
        return 20 * Math.log10(ratio);
    }
}
