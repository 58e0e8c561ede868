package io.trunkline.amd.vad;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.trunkline.amd.TestClips;
import io.trunkline.amd.eval.ClipLabel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class WebRtcVadTest {

    /** Share of 20 ms frames called voice inside [fromMs, toMs). */
    private static double voiceShare(boolean[] decisions, int fromMs, int toMs) {
        int voiced = 0;
        int n = 0;
        for (int f = fromMs / 20; f < toMs / 20; f++) {
            n++;
            if (decisions[f]) {
                voiced++;
            }
        }
        return (double) voiced / n;
    }

    private static boolean[] classify(WebRtcVad vad, short[] pcm) {
        boolean[] d = new boolean[pcm.length / 160];
        short[] frame = new short[160];
        for (int f = 0; f < d.length; f++) {
            System.arraycopy(pcm, f * 160, frame, 0, 160);
            d[f] = vad.isVoice(frame, 160);
        }
        return d;
    }

    @ParameterizedTest
    @ValueSource(strings = {"amd_dev_007.wav", "amd_dev_046.wav", "amd_dev_005.wav"})
    void speechIsVoiceAndLeadingSilenceIsNot(String file) {
        ClipLabel label = TestClips.label(file);
        short[] pcm = TestClips.samples(file);
        try (WebRtcVad vad = new WebRtcVad(2, 8000)) {
            boolean[] d = classify(vad, pcm);
            // skip the VAD's first 100 ms, where it has no noise estimate yet
            double before = voiceShare(d, 100, label.speechStartMs() - 100);
            double during = voiceShare(d, label.speechStartMs(), label.speechEndMs());
            assertTrue(during > 0.75, file + ": voice share during speech " + during);
            assertTrue(before < 0.1, file + ": voice share before speech " + before);
        }
    }

    @Test
    void lineNoiseAloneIsNotVoice() {
        short[] pcm = TestClips.samples("amd_dev_004.wav");
        try (WebRtcVad vad = new WebRtcVad(2, 8000)) {
            boolean[] d = classify(vad, pcm);
            assertTrue(voiceShare(d, 200, pcm.length / 8) < 0.02);
        }
    }

    @Test
    void higherModesCallLessVoice() {
        short[] pcm = TestClips.samples("amd_dev_021.wav"); // 15 dB SNR: the modes disagree on noisy frames
        int[] voiced = new int[4];
        for (int mode = 0; mode < 4; mode++) {
            try (WebRtcVad vad = new WebRtcVad(mode, 8000)) {
                for (boolean b : classify(vad, pcm)) {
                    voiced[mode] += b ? 1 : 0;
                }
            }
        }
        for (int mode = 1; mode < 4; mode++) {
            assertTrue(voiced[mode] <= voiced[mode - 1], "mode " + mode + ": " + java.util.Arrays.toString(voiced));
        }
        assertTrue(voiced[3] < voiced[0]);
    }

    @Test
    void acceptsEveryRateAndFrameLength() {
        for (int rate : new int[] {8000, 16000, 32000, 48000}) {
            for (int ms : new int[] {10, 20, 30}) {
                try (WebRtcVad vad = new WebRtcVad(3, rate)) {
                    short[] silence = new short[rate / 1000 * ms];
                    assertFalse(vad.isVoice(silence, silence.length), rate + " Hz " + ms + " ms");
                }
            }
        }
    }

    @Test
    void rejectsBadArgumentsNamingTheField() {
        assertEquals("vad_mode must be 0..3, got 4",
                assertThrows(IllegalArgumentException.class, () -> new WebRtcVad(4, 8000)).getMessage());
        assertEquals("sample_rate must be 8000, 16000, 32000 or 48000 Hz, got 44100",
                assertThrows(IllegalArgumentException.class, () -> new WebRtcVad(1, 44100)).getMessage());
        try (WebRtcVad vad = new WebRtcVad(1, 8000)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> vad.isVoice(new short[200], 200));
            assertTrue(e.getMessage().startsWith("frame length must be 80, 160 or 240 samples"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> vad.isVoice(new short[100], 160));
        }
    }

    @Test
    void handlesAreCountedAndFreedOnClose() {
        int before = WebRtcVad.liveHandles();
        WebRtcVad a = new WebRtcVad(0, 8000);
        WebRtcVad b = new WebRtcVad(1, 16000);
        assertEquals(before + 2, WebRtcVad.liveHandles());
        a.close();
        a.close(); // idempotent
        assertEquals(before + 1, WebRtcVad.liveHandles());
        b.close();
        assertEquals(before, WebRtcVad.liveHandles());
        assertThrows(IllegalStateException.class, () -> a.isVoice(new short[160], 160));
    }

    @Test
    void resetKeepsModeAndRate() {
        short[] pcm = TestClips.samples("amd_dev_046.wav");
        try (WebRtcVad vad = new WebRtcVad(2, 8000)) {
            boolean[] first = classify(vad, pcm);
            vad.reset();
            boolean[] again = classify(vad, pcm);
            assertEquals(java.util.Arrays.toString(first), java.util.Arrays.toString(again));
            assertEquals(2, vad.mode());
            assertEquals(8000, vad.sampleRate());
        }
    }
}
