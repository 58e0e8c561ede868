package io.trunkline.amd.beep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.trunkline.amd.TestClips;
import io.trunkline.audio.G711;
import io.trunkline.amd.eval.ClipLabel;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class BeepDetectorTest {

    /** The first beep found in the clip, or null. */
    static Beep scan(short[] pcm) {
        BeepDetector d = new BeepDetector();
        for (int off = 0; off + 160 <= pcm.length; off += 160) {
            Beep b = d.onFrame(pcm, off);
            if (b != null) {
                return b;
            }
        }
        return null;
    }

    @ParameterizedTest
    @ValueSource(strings = {"amd_dev_005.wav", "amd_dev_021.wav", "amd_dev_087.wav", "amd_dev_109.wav"})
    void findsCorpusBeepsWithin300MsOfTheLabelledEnd(String file) {
        ClipLabel label = TestClips.label(file);
        Beep b = scan(TestClips.samples(file));
        assertNotNull(b, file);
        assertTrue(Math.abs(b.endMs() - label.beepEndMs()) <= 300, b + " vs " + label);
        assertTrue(Math.abs(b.startMs() - label.beepStartMs()) <= 300, b + " vs " + label);
        assertTrue(b.reportedMs() >= b.endMs() && b.reportedMs() - b.endMs() <= 300, b.toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"amd_dev_004.wav", "amd_dev_007.wav", "amd_dev_046.wav", "amd_dev_056.wav"})
    void doesNotFireOnSpeechOrLineNoise(String file) {
        assertNull(scan(TestClips.samples(file)), file);
    }

    @Test
    void doesNotFireOnMachineSpeechBeforeItsBeep() {
        ClipLabel label = TestClips.label("amd_dev_021.wav");
        short[] pcm = TestClips.samples("amd_dev_021.wav");
        Beep b = scan(pcm);
        assertTrue(b.startMs() >= label.beepStartMs() - 40, "first beep is the real one: " + b);
    }

    @Test
    void doubleBeepIsOneBeepEndingWithItsSecondTone() {
        ClipLabel label = TestClips.label("amd_dev_087.wav"); // 1000 Hz, gap, 1000 Hz
        Beep b = scan(TestClips.samples("amd_dev_087.wav"));
        assertTrue(Math.abs(b.startMs() - label.beepStartMs()) <= 40, b.toString());
        assertTrue(Math.abs(b.endMs() - label.beepEndMs()) <= 40, b.toString());
        assertEquals(1000, b.frequencyHz(), 25);
    }

    @Test
    void survivesG711AndLineNoise() {
        short[] pcm = new short[8000 * 3];
        Random noise = new Random(7);
        for (int i = 0; i < pcm.length; i++) {
            double tone = i >= 8000 && i < 8000 + 400 * 8 ? 0.12 * 32767 * Math.sin(2 * Math.PI * 1337 * i / 8000.0) : 0;
            double x = tone + noise.nextGaussian() * 200; // about 30 dB below the tone
            short linear = (short) Math.max(-32768, Math.min(32767, Math.round(x)));
            pcm[i] = G711.ulawToLinear(G711.linearToUlaw(linear)); // through the G.191-exact mu-law codec and back
        }
        Beep b = scan(pcm);
        assertNotNull(b);
        assertEquals(1000, b.startMs(), 20);
        assertEquals(1400, b.endMs(), 20);
        assertEquals(1337, b.frequencyHz(), 13);
    }

    @Test
    void ignoresGlidingTonesHeldTonesAndMelodies() {
        // a glide (like a sung vowel) changes frequency faster than one filter per frame
        short[] glide = new short[8000 * 2];
        double phase = 0;
        for (int i = 0; i < 8000; i++) {
            phase += 2 * Math.PI * (600 + 1200.0 * i / 8000) / 8000; // 600 -> 1800 Hz in 1 s
            glide[i] = (short) (8000 * Math.sin(phase));
        }
        assertNull(scan(glide), "glide");
        // a tone held for 4 s (dial tone, music) is no beep
        assertNull(scan(tone(new short[8000 * 6], 0, 4000, 1000)), "held tone");
        // notes following each other without a pause (music on hold)
        short[] melody = new short[8000 * 4];
        int[] notes = {523, 659, 784, 1047, 784, 659, 523, 659};
        for (int n = 0; n < notes.length; n++) {
            tone(melody, n * 300, 300, notes[n]);
        }
        assertNull(scan(melody), "melody");
        // a tone followed at once by loud non-tonal sound (speech, music) is no beep
        short[] toneThenNoise = tone(new short[8000 * 2], 200, 400, 1000);
        Random r = new Random(3);
        for (int i = 600 * 8; i < 1400 * 8; i++) {
            toneThenNoise[i] = (short) (r.nextGaussian() * 3000);
        }
        assertNull(scan(toneThenNoise), "tone then noise");
    }

    @Test
    void reportsFrequencyAndPurityOfTheLastFrame() {
        short[] pcm = tone(new short[1600], 0, 200, 850);
        BeepDetector d = new BeepDetector();
        d.onFrame(pcm, 160 * 3);
        assertEquals(850, d.lastFrequencyHz());
        assertTrue(d.lastPurity() > 0.95, String.valueOf(d.lastPurity()));
        assertEquals(1, d.frames());
    }

    private static short[] tone(short[] pcm, int startMs, int lengthMs, int hz) {
        for (int i = startMs * 8; i < (startMs + lengthMs) * 8; i++) {
            pcm[i] = (short) (6000 * Math.sin(2 * Math.PI * hz * i / 8000.0));
        }
        return pcm;
    }

}
