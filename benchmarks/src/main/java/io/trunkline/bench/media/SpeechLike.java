package io.trunkline.bench.media;

import java.util.Random;

/** A voiced, speech-like test signal: a gliding pitch with formant-ish harmonics, syllable envelope and noise. */
final class SpeechLike {

    private SpeechLike() {}

    static short[] samples(int rate, int count, long seed) {
        Random noise = new Random(seed);
        short[] s = new short[count];
        double phase = 0;
        for (int i = 0; i < count; i++) {
            double t = (double) i / rate;
            double pitch = 120 + 30 * Math.sin(2 * Math.PI * 0.7 * t);
            phase += 2 * Math.PI * pitch / rate;
            double voiced = 0;
            for (int h = 1; h <= 12 && h * pitch < rate / 2.0; h++) {
                double formant = Math.exp(-Math.pow((h * pitch - 700) / 500, 2)) + 0.5 * Math.exp(-Math.pow((h * pitch - 1800) / 700, 2));
                voiced += formant * Math.sin(h * phase) / h;
            }
            double envelope = 0.5 + 0.5 * Math.sin(2 * Math.PI * 4 * t);
            s[i] = (short) Math.max(-32768, Math.min(32767, 9000 * envelope * voiced + 300 * noise.nextGaussian()));
        }
        return s;
    }
}
