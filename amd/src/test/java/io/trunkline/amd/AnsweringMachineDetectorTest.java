package io.trunkline.amd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.trunkline.amd.beep.Beep;
import io.trunkline.amd.eval.ClipLabel;
import io.trunkline.amd.vad.WebRtcVad;
import java.nio.ShortBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The whole detector (VAD, state machine, beep) on real corpus clips. */
class AnsweringMachineDetectorTest {

    private int handlesBefore;

    @BeforeEach
    void countHandles() {
        handlesBefore = WebRtcVad.liveHandles();
    }

    @AfterEach
    void noHandleLeaks() {
        assertEquals(handlesBefore, WebRtcVad.liveHandles(), "VAD handles leaked");
    }

    /** Records every callback. */
    static final class Recorder implements AmdListener {
        final List<AmdResult> verdicts = new ArrayList<>();
        final List<Beep> beeps = new ArrayList<>();
        final List<Integer> beepTimes = new ArrayList<>();

        @Override
        public void onVerdict(AmdResult result) {
            verdicts.add(result);
        }

        @Override
        public void onBeep(Beep beep, int atMs) {
            beeps.add(beep);
            beepTimes.add(atMs);
        }
    }

    private static Recorder run(short[] pcm, AmdParameters p) {
        Recorder rec = new Recorder();
        try (AnsweringMachineDetector d = new AnsweringMachineDetector(p, rec)) {
            for (int off = 0; off + 160 <= pcm.length && !d.isFinished(); off += 160) {
                d.offer(pcm, off);
            }
            d.endOfAudio();
        }
        return rec;
    }

    @ParameterizedTest
    @CsvSource({
        "amd_dev_004.wav, SILENCE, INITIAL_SILENCE",
        "amd_dev_005.wav, MACHINE, LONG_GREETING",
        "amd_dev_007.wav, HUMAN, HUMAN_GREETING_THEN_SILENCE",
        "amd_dev_021.wav, MACHINE, MAX_WORDS",
        "amd_dev_046.wav, HUMAN, HUMAN_GREETING_THEN_SILENCE",
        "amd_dev_056.wav, HUMAN, HUMAN_GREETING_THEN_SILENCE",
        "amd_dev_087.wav, MACHINE, LONG_GREETING",
        "amd_dev_109.wav, MACHINE, BEEP",
    })
    void verdictAndCauseOnRealClips(String file, AmdVerdict verdict, AmdCause cause) {
        ClipLabel label = TestClips.label(file);
        Recorder rec = run(TestClips.samples(file), AmdParameters.defaults());
        assertEquals(1, rec.verdicts.size());
        AmdResult r = rec.verdicts.get(0);
        assertEquals(verdict, r.verdict(), r.toString());
        assertEquals(cause, r.cause(), r.toString());
        if (verdict == AmdVerdict.HUMAN) {
            // within 900 ms of the last word (a second try after a pause is not waited for: negative)
            assertTrue(r.decisionMs() - label.speechEndMs() < 900, r.toString());
            assertTrue(rec.beeps.isEmpty(), "no beep is reported for a human");
        }
        if (verdict == AmdVerdict.MACHINE) {
            assertEquals(1, rec.beeps.size(), "one beep outcome after a MACHINE verdict");
            Beep beep = rec.beeps.get(0);
            assertNotNull(beep, file + ": beep expected near " + label.beepEndMs());
            assertTrue(Math.abs(beep.endMs() - label.beepEndMs()) <= 300, beep + " vs " + label);
        }
    }

    @Test
    void theVadStartUpIsNeverTakenForTheFirstWord() {
        // mode 0 calls the first 100-140 ms of line noise voice: longer than a 60 ms minimum word
        ClipLabel label = TestClips.label("amd_dev_046.wav");
        Recorder rec = run(TestClips.samples("amd_dev_046.wav"),
                AmdParameters.parse(List.of("vad_mode=0", "minimum_word_length=60")));
        AmdResult r = rec.verdicts.get(0);
        assertEquals(AmdVerdict.HUMAN, r.verdict(), r.toString());
        assertTrue(r.decisionMs() > label.speechEndMs(), r.toString());
        assertEquals(label.speechStartMs(), r.statistics().initialSilenceMs(), 100, r.toString());
    }

    @Test
    void shortBufferFramesGiveTheSameResult() {
        short[] pcm = TestClips.samples("amd_dev_087.wav");
        Recorder viaArray = run(pcm, AmdParameters.defaults());
        Recorder viaBuffer = new Recorder();
        ShortBuffer buf = ShortBuffer.wrap(pcm);
        try (AnsweringMachineDetector d = new AnsweringMachineDetector(AmdParameters.defaults(), viaBuffer)) {
            while (buf.remaining() >= 160 && !d.isFinished()) {
                d.offer(buf);
            }
        }
        assertEquals(viaArray.verdicts, viaBuffer.verdicts);
        assertEquals(viaArray.beeps, viaBuffer.beeps);
    }

    @Test
    void noBeepIsReportedOnceTheWaitRunsOut() {
        ClipLabel label = TestClips.label("amd_dev_005.wav");
        short[] pcm = TestClips.samples("amd_dev_005.wav");
        // the greeting without its beep, then the line stays silent
        short[] cut = Arrays.copyOf(pcm, 8 * 20000);
        Arrays.fill(cut, label.beepStartMs() * 8 - 400, cut.length, (short) 0);
        Recorder rec = run(cut, AmdParameters.parse(List.of("beep_wait=4000")));
        AmdResult r = rec.verdicts.get(0);
        assertEquals(AmdVerdict.MACHINE, r.verdict());
        assertEquals(1, rec.beeps.size());
        assertNull(rec.beeps.get(0));
        assertEquals(r.decisionMs() + 4000, rec.beepTimes.get(0));
    }

    @Test
    void endOfAudioWhileWaitingForTheBeepReportsNoBeep() {
        short[] pcm = TestClips.samples("amd_dev_005.wav");
        Recorder rec = run(Arrays.copyOf(pcm, 8 * 5500), AmdParameters.defaults());
        assertEquals(AmdVerdict.MACHINE, rec.verdicts.get(0).verdict());
        assertEquals(Arrays.asList((Beep) null), rec.beeps);
        assertEquals(5500, rec.beepTimes.get(0));
    }

    /** "Hello?" (amd_dev_046, speech ends 1,332 ms), then a 1 kHz beep from {@code beepAtMs} for 400 ms. */
    private static short[] helloThenBeep(int beepAtMs) {
        short[] pcm = Arrays.copyOf(TestClips.samples("amd_dev_046.wav"), 8 * (beepAtMs + 3000));
        short[] beep = io.trunkline.audio.Tones.sine(1000, 6000, 8 * 400, 8000);
        System.arraycopy(beep, 0, pcm, 8 * beepAtMs, beep.length);
        return pcm;
    }

    @Test
    void aBeepSoonAfterAHumanVerdictRevisesItToMachine() {
        // a short voicemail greeting whose beep comes 1.5 s after its last word: too late for the first verdict
        Recorder rec = run(helloThenBeep(2832), AmdParameters.defaults());
        assertEquals(2, rec.verdicts.size(), rec.verdicts.toString());
        assertEquals(AmdVerdict.HUMAN, rec.verdicts.get(0).verdict());
        AmdResult revised = rec.verdicts.get(1);
        assertEquals(AmdVerdict.MACHINE, revised.verdict());
        assertEquals(AmdCause.BEEP_AFTER_VERDICT, revised.cause());
        assertEquals(1, rec.beeps.size());
        Beep beep = rec.beeps.get(0);
        assertEquals(2832 + 400, beep.endMs(), 40, beep.toString());
        assertEquals(1000, beep.frequencyHz(), 25);
        assertEquals(revised.decisionMs(), rec.beepTimes.get(0));
        assertEquals(rec.verdicts.get(0).statistics(), revised.statistics(), "what was heard before the verdict");
    }

    @Test
    void aBeepLaterThanBeepWaitAfterTheVerdictChangesNothing() {
        Recorder rec = run(helloThenBeep(2832), AmdParameters.parse(List.of("beep_wait=1000")));
        assertEquals(1, rec.verdicts.size(), rec.verdicts.toString());
        assertEquals(AmdVerdict.HUMAN, rec.verdicts.get(0).verdict());
        assertTrue(rec.beeps.isEmpty());
    }

    @Test
    void pinkLineNoiseAfterAGreetingIsNotTakenForMoreSpeech() {
        // "Hello?" with pink noise 15 dB below its speech level, 8 dB louder from 200 ms after the word (an AGC
        // reacting to the silence): the WebRTC VAD alone calls that noise voice for seconds, and the person's
        // silence would never begin; the line-noise gate must leave it silent
        ClipLabel label = TestClips.label("amd_dev_046.wav");
        short[] clean = TestClips.samples("amd_dev_046.wav");
        double speechRms = io.trunkline.audio.Tones.rms(clean, 8 * label.speechStartMs(),
                8 * (label.speechEndMs() - label.speechStartMs()));
        double[] pink = pinkNoise(clean.length, 42);
        double pinkRms = Math.sqrt(Arrays.stream(pink).map(v -> v * v).average().orElse(0));
        double gain = speechRms * Math.pow(10, -15 / 20.0) / pinkRms;
        int jumpAt = 8 * (label.speechEndMs() + 200);
        short[] noisy = new short[clean.length];
        for (int i = 0; i < clean.length; i++) {
            double g = i < jumpAt ? gain : gain * Math.pow(10, 8 / 20.0);
            noisy[i] = (short) Math.max(-32768, Math.min(32767, Math.round(clean[i] + g * pink[i])));
        }
        Recorder rec = run(noisy, AmdParameters.defaults());
        AmdResult r = rec.verdicts.get(0);
        assertEquals(AmdVerdict.HUMAN, r.verdict(), r.toString());
        // the floor needs a few hundred ms to climb the 8 dB: the noise right after the jump counts as a short
        // word, and the verdict comes that much later than on a steady line
        assertTrue(r.decisionMs() - label.speechEndMs() <= 1500, r.toString());
    }

    @Test
    void lineNoiseArrivingAfterDigitalSilenceIsNotSpeech() {
        // a stream that runs 400 ms before the callee's audio (digital zeros), then "Hello?" on a line with pink
        // noise 20 dB below it: the noise must not start a greeting when it arrives
        ClipLabel label = TestClips.label("amd_dev_046.wav");
        short[] clean = TestClips.samples("amd_dev_046.wav");
        double speechRms = io.trunkline.audio.Tones.rms(clean, 8 * label.speechStartMs(),
                8 * (label.speechEndMs() - label.speechStartMs()));
        double[] pink = pinkNoise(clean.length, 7);
        double pinkRms = Math.sqrt(Arrays.stream(pink).map(v -> v * v).average().orElse(0));
        double gain = speechRms * Math.pow(10, -20 / 20.0) / pinkRms;
        short[] pcm = new short[8 * 400 + clean.length];
        for (int i = 0; i < clean.length; i++) {
            pcm[8 * 400 + i] = (short) Math.max(-32768, Math.min(32767, Math.round(clean[i] + gain * pink[i])));
        }
        AmdResult r = run(pcm, AmdParameters.defaults()).verdicts.get(0);
        assertEquals(AmdVerdict.HUMAN, r.verdict(), r.toString());
        assertEquals(400 + label.speechStartMs(), r.statistics().initialSilenceMs(), 100, r.toString());
    }

    /** Pink noise (Paul Kellet's economy filter over seeded white noise). */
    private static double[] pinkNoise(int n, long seed) {
        java.util.Random random = new java.util.Random(seed);
        double[] out = new double[n];
        double b0 = 0, b1 = 0, b2 = 0;
        for (int i = 0; i < n; i++) {
            double w = random.nextGaussian();
            b0 = 0.99765 * b0 + w * 0.0990460;
            b1 = 0.96300 * b1 + w * 0.2965164;
            b2 = 0.57000 * b2 + w * 1.0526913;
            out[i] = b0 + b1 + b2 + w * 0.1848;
        }
        return out;
    }

    @Test
    void rejectsShortFrames() {
        try (AnsweringMachineDetector d = new AnsweringMachineDetector(AmdParameters.defaults(), r -> {})) {
            assertThrows(IllegalArgumentException.class, () -> d.offer(new short[200], 100));
            assertThrows(IllegalArgumentException.class, () -> d.offer(ShortBuffer.allocate(159)));
        }
    }
}
