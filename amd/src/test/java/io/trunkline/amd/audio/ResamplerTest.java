package io.trunkline.amd.audio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ResamplerTest {

    static short[] tone(int rate, double hz, double amplitude, int samples) {
        short[] s = new short[samples];
        for (int i = 0; i < samples; i++) {
            s[i] = (short) Math.round(amplitude * Math.sin(2 * Math.PI * hz * i / rate));
        }
        return s;
    }

    static double rms(short[] s, int from, int to) {
        double e = 0;
        for (int i = from; i < to; i++) {
            e += (double) s[i] * s[i];
        }
        return Math.sqrt(e / (to - from));
    }

    /** Frequency of the strongest DFT bin (1 Hz steps up to Nyquist), over the middle of the signal. */
    static int dominantHz(short[] s, int rate) {
        int from = s.length / 4;
        int n = s.length / 2;
        double best = -1;
        int bestHz = 0;
        for (int hz = 50; hz < rate / 2; hz += 5) {
            double re = 0;
            double im = 0;
            for (int i = 0; i < n; i++) {
                double a = 2 * Math.PI * hz * i / rate;
                re += s[from + i] * Math.cos(a);
                im += s[from + i] * Math.sin(a);
            }
            double p = re * re + im * im;
            if (p > best) {
                best = p;
                bestHz = hz;
            }
        }
        return bestHz;
    }

    @Test
    void keepsInBandTonesAtTheirLevel() {
        for (int rate : new int[] {11025, 16000, 22050, 44100, 48000}) {
            short[] in = tone(rate, 1000, 10000, rate);
            short[] out = Resampler.resample(in, rate, 8000);
            assertEquals(8000, out.length, 1);
            assertEquals(1000, dominantHz(out, 8000), 5, "from " + rate);
            assertEquals(10000 / Math.sqrt(2), rms(out, 1000, 7000), 10000 / Math.sqrt(2) * 0.03, "from " + rate);
        }
    }

    @Test
    void removesWhatWouldAlias() {
        // 6 kHz at 48 kHz would fold to 2 kHz at 8 kHz without the low-pass
        short[] out = Resampler.resample(tone(48000, 6000, 10000, 48000), 48000, 8000);
        assertTrue(rms(out, 1000, 7000) < 10000 / Math.sqrt(2) / 100, "attenuated by > 40 dB: " + rms(out, 1000, 7000));
    }

    @Test
    void upsamplingKeepsTheTone() {
        short[] out = Resampler.resample(tone(8000, 700, 8000, 8000), 8000, 16000);
        assertEquals(16000, out.length);
        assertEquals(700, dominantHz(out, 16000), 5);
    }

    @Test
    void sameRateIsACopyAndBadRatesAreRejected() {
        short[] in = tone(8000, 500, 1000, 100);
        assertEquals(java.util.Arrays.toString(in), java.util.Arrays.toString(Resampler.resample(in, 8000, 8000)));
        assertThrows(IllegalArgumentException.class, () -> Resampler.resample(in, 0, 8000));
    }
}
