package io.trunkline.audio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

    /** A WAV image written by hand (not by WavWriter), with a LIST chunk the reader must skip. */
    static byte[] wav(int format, int channels, int rate, int bits, byte[] data) {
        int blockAlign = channels * bits / 8;
        ByteBuffer b = ByteBuffer.allocate(44 + data.length + 12).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0x46464952).putInt(36 + data.length + 12).putInt(0x45564157);
        b.putInt(0x20746d66).putInt(16).putShort((short) format).putShort((short) channels).putInt(rate)
                .putInt(rate * blockAlign).putShort((short) blockAlign).putShort((short) bits);
        b.putInt(0x5453494c).putInt(4).putInt(0x4f464e49);
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

    @Test
    void readsPcm16MuLawAndALawAtAnyRate() throws IOException {
        for (int rate : new int[] {8000, 11025, 16000, 44100, 48000}) {
            short[] s = Signals.tone(rate, 1000, 12000, rate / 10);
            byte[] ulaw = new byte[s.length];
            byte[] alaw = new byte[s.length];
            for (int i = 0; i < s.length; i++) {
                ulaw[i] = G711.linearToUlaw(s[i]);
                alaw[i] = G711.linearToAlaw(s[i]);
            }
            Files.write(tmp.resolve("p.wav"), wav(1, 1, rate, 16, pcm16(s)));
            Files.write(tmp.resolve("u.wav"), wav(7, 1, rate, 8, ulaw));
            Files.write(tmp.resolve("a.wav"), wav(6, 1, rate, 8, alaw));
            WavReader.Clip p = WavReader.read(tmp.resolve("p.wav"));
            WavReader.Clip u = WavReader.read(tmp.resolve("u.wav"));
            WavReader.Clip a = WavReader.read(tmp.resolve("a.wav"));
            assertEquals(rate, p.sampleRate());
            assertEquals(rate, u.sampleRate());
            assertEquals(rate, a.sampleRate());
            assertArrayEquals(s, p.samples());
            for (int i = 0; i < s.length; i++) {
                assertEquals(G711.ulawToLinear(ulaw[i]), u.samples()[i]);
                assertEquals(G711.alawToLinear(alaw[i]), a.samples()[i]);
            }
        }
    }

    @Test
    void stereoIsMixedOrKeptApartAndOtherRatesAreResampledTo8k() throws IOException {
        short[] left = Signals.tone(48000, 1000, 10000, 48000);
        short[] right = Signals.tone(48000, 300, 5000, 48000);
        short[] interleaved = new short[96000];
        for (int i = 0; i < left.length; i++) {
            interleaved[2 * i] = left[i];
            interleaved[2 * i + 1] = left[i];
        }
        Path same = tmp.resolve("same.wav");
        Files.write(same, wav(1, 2, 48000, 16, pcm16(interleaved)));
        assertArrayEquals(left, WavReader.read(same).samples());
        short[] s8 = WavReader.read8k(same);
        assertEquals(8000, s8.length);
        assertEquals(1000, Signals.dominantHz(s8, 8000), 10);

        for (int i = 0; i < left.length; i++) {
            interleaved[2 * i + 1] = right[i];
        }
        Path apart = tmp.resolve("apart.wav");
        Files.write(apart, wav(1, 2, 48000, 16, pcm16(interleaved)));
        WavReader.Channels c = WavReader.readChannels(apart);
        assertEquals(2, c.channelCount());
        assertArrayEquals(left, c.channel(0));
        assertArrayEquals(right, c.channel(1));
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
