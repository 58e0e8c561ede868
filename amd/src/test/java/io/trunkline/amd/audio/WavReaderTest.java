package io.trunkline.amd.audio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.trunkline.amd.AmdParameters;
import io.trunkline.amd.AmdResult;
import io.trunkline.amd.eval.AmdEvaluator;
import io.trunkline.amd.TestClips;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WavReaderTest {

    @TempDir
    Path tmp;

    /** A WAV image with the given format tag and sample bytes. */
    static byte[] wav(int format, int channels, int rate, int bits, byte[] data) {
        int blockAlign = channels * bits / 8;
        ByteBuffer b = ByteBuffer.allocate(44 + data.length + 12).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0x46464952).putInt(36 + data.length + 12).putInt(0x45564157);
        b.putInt(0x20746d66).putInt(16).putShort((short) format).putShort((short) channels).putInt(rate)
                .putInt(rate * blockAlign).putShort((short) blockAlign).putShort((short) bits);
        b.putInt(0x5453494c).putInt(4).putInt(0x4f464e49); // a LIST chunk to skip
        b.putInt(0x61746164).putInt(data.length).put(data);
        return b.array();
    }

    static byte[] pcm16(short[] s) {
        ByteBuffer b = ByteBuffer.allocate(s.length * 2).order(ByteOrder.LITTLE_ENDIAN);
        for (short v : s) {
            b.putShort(v);
        }
        return b.array();
    }

    static byte[] g711(short[] s, byte[] referenceEncoder) {
        byte[] out = new byte[s.length];
        for (int i = 0; i < s.length; i++) {
            out[i] = referenceEncoder[s[i] + 32768];
        }
        return out;
    }

    @Test
    void readsTheCorpusPcm16() throws IOException {
        WavReader.Clip c = WavReader.read(TestClips.dir().resolve("amd_dev_046.wav"));
        assertEquals(8000, c.sampleRate());
        assertEquals(98416 - 44, c.samples().length * 2);
    }

    @Test
    void muLawAndALawFilesGiveTheSameVerdictAsTheLinearOriginal() throws IOException {
        short[] original = TestClips.samples("amd_dev_087.wav");
        AmdResult reference = AmdEvaluator.evaluate(new AmdEvaluator.Clip("pcm", original), null,
                AmdParameters.defaults()).result();
        for (String law : new String[] {"ulaw", "alaw"}) {
            byte[] encoded = g711(original, G711Test.reference(law + "-reference.bin"));
            Path f = tmp.resolve(law + ".wav");
            Files.write(f, wav(law.equals("ulaw") ? 7 : 6, 1, 8000, 8, encoded));
            WavReader.Clip c = WavReader.read(f);
            assertEquals(original.length, c.samples().length);
            for (int i = 0; i < original.length; i++) {
                int tolerance = Math.max(law.equals("ulaw") ? 4 : 16, Math.abs(original[i]) / 16 + 1);
                assertTrue(Math.abs(c.samples()[i] - original[i]) <= tolerance, law + " sample " + i);
            }
            AmdResult r = AmdEvaluator.evaluate(new AmdEvaluator.Clip(law, c.samples()), null,
                    AmdParameters.defaults()).result();
            assertEquals(reference.verdict(), r.verdict(), law);
            assertEquals(reference.cause(), r.cause(), law);
            assertEquals(reference.decisionMs(), r.decisionMs(), 100, law);
        }
    }

    @Test
    void stereoIsMixedAndOtherRatesAreResampledTo8k() throws IOException {
        short[] mono = new short[48000];
        short[] stereo = new short[96000];
        for (int i = 0; i < mono.length; i++) {
            mono[i] = (short) (10000 * Math.sin(2 * Math.PI * 1000 * i / 48000.0));
            stereo[2 * i] = mono[i];
            stereo[2 * i + 1] = mono[i];
        }
        Path f = tmp.resolve("stereo48k.wav");
        Files.write(f, wav(1, 2, 48000, 16, pcm16(stereo)));
        WavReader.Clip c = WavReader.read(f);
        assertEquals(48000, c.sampleRate());
        assertArrayEquals(mono, c.samples());
        short[] s8 = WavReader.read8k(f);
        assertEquals(8000, s8.length);
        assertEquals(1000, ResamplerTest.dominantHz(s8, 8000), 10);
    }

    @Test
    void malformedFilesAreRejectedWithTheReason() throws IOException {
        Path notWav = tmp.resolve("x.wav");
        Files.write(notWav, new byte[] {1, 2, 3});
        assertTrue(assertThrows(IOException.class, () -> WavReader.read(notWav)).getMessage()
                .endsWith("not a RIFF/WAVE file"));
        byte[] adpcm = wav(2, 1, 8000, 4, new byte[100]);
        assertEquals("unsupported WAV format tag 2 (supported: 1 PCM, 3 float, 6 A-law, 7 mu-law)",
                assertThrows(IllegalArgumentException.class,
                        () -> WavReader.parse(ByteBuffer.wrap(adpcm).order(ByteOrder.LITTLE_ENDIAN))).getMessage());
        byte[] noData = java.util.Arrays.copyOf(wav(1, 1, 8000, 16, new byte[0]), 36 + 12);
        assertEquals("no data chunk", assertThrows(IllegalArgumentException.class,
                () -> WavReader.parse(ByteBuffer.wrap(noData).order(ByteOrder.LITTLE_ENDIAN))).getMessage());
        byte[] badRate = wav(1, 1, 10, 16, new byte[10]);
        assertEquals("sample rate must be 1000..384000 Hz, got 10", assertThrows(IllegalArgumentException.class,
                () -> WavReader.parse(ByteBuffer.wrap(badRate).order(ByteOrder.LITTLE_ENDIAN))).getMessage());
    }
}
