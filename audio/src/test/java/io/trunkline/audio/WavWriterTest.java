package io.trunkline.audio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WavWriterTest {

    @TempDir
    Path tmp;

    @Test
    void monoPcm16InFramesReadsBackExactlyWithCorrectSizes() throws IOException {
        short[] s = Signals.tone(16000, 440, 20000, 16000 * 10); // 10 s: many buffer flushes
        Path f = tmp.resolve("mono.wav");
        try (WavWriter w = WavWriter.create(f, 16000, 1, WavWriter.Encoding.PCM16)) {
            for (int off = 0; off < s.length; off += 320) {
                w.writeMono(s, off, 320);
            }
            assertEquals(10_000, w.durationMs());
        }
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(f)).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(44 + s.length * 2, b.limit());
        assertEquals(b.limit() - 8, b.getInt(4), "RIFF size fixed on close");
        assertEquals(s.length * 2, b.getInt(40), "data size fixed on close");
        WavReader.Clip c = WavReader.read(f);
        assertEquals(16000, c.sampleRate());
        assertArrayEquals(s, c.samples());
    }

    @Test
    void twoChannelsLandInTheirOwnChannel() throws IOException {
        short[] left = Signals.tone(8000, 1000, 9000, 8000);
        short[] right = Signals.tone(8000, 350, 4000, 8000);
        Path f = tmp.resolve("stereo.wav");
        try (WavWriter w = WavWriter.create(f, 8000, 2, WavWriter.Encoding.PCM16)) {
            for (int off = 0; off < left.length; off += 160) {
                w.writeStereo(left, right, off, 160);
            }
        }
        WavReader.Channels c = WavReader.readChannels(f);
        assertArrayEquals(left, c.channel(0));
        assertArrayEquals(right, c.channel(1));
    }

    @Test
    void g711FilesAreBitExactAndOddLengthsArePadded() throws IOException {
        short[] s = Signals.tone(8000, 1000, 15000, 8001);
        for (WavWriter.Encoding e : new WavWriter.Encoding[] {WavWriter.Encoding.MULAW, WavWriter.Encoding.ALAW}) {
            Path f = tmp.resolve(e + ".wav");
            try (WavWriter w = WavWriter.create(f, 8000, 1, e)) {
                w.writeMono(s, 0, s.length);
            }
            byte[] raw = Files.readAllBytes(f);
            assertEquals(58 + 8001 + 1, raw.length, "header, data and the pad byte");
            for (int i = 0; i < s.length; i++) {
                byte expected = e == WavWriter.Encoding.MULAW ? G711.linearToUlaw(s[i]) : G711.linearToAlaw(s[i]);
                assertEquals(expected, raw[58 + i], e + " sample " + i);
            }
            assertEquals(8001, WavReader.read(f).samples().length);
        }
    }

    /** A writer that died before close leaves zero sizes in the header; the samples are still readable. */
    @Test
    void aRecordingWhoseHeaderWasNeverFixedStillReads() throws IOException {
        short[] s = Signals.tone(8000, 1000, 9000, 80_000);
        Path f = tmp.resolve("crashed.wav");
        WavWriter w = WavWriter.create(f, 8000, 1, WavWriter.Encoding.PCM16);
        w.writeMono(s, 0, s.length); // more than the 64 KiB buffer: most of it reaches the file
        long onDisk = Files.size(f) - 44;
        assertEquals(0, ByteBuffer.wrap(Files.readAllBytes(f)).order(ByteOrder.LITTLE_ENDIAN).getInt(40));
        short[] read = WavReader.read(f).samples();
        assertEquals(onDisk / 2, read.length);
        assertArrayEquals(java.util.Arrays.copyOf(s, read.length), read);
        w.close();
        assertArrayEquals(s, WavReader.read(f).samples());
    }

    @Test
    void wrongShapeAndBadParametersAreRefused() throws IOException {
        assertEquals("channels must be 1 or 2, got 3", assertThrows(IllegalArgumentException.class,
                () -> WavWriter.create(tmp.resolve("x.wav"), 8000, 3, WavWriter.Encoding.PCM16)).getMessage());
        assertEquals("sample rate must be 1000..384000 Hz, got 999", assertThrows(IllegalArgumentException.class,
                () -> WavWriter.create(tmp.resolve("x.wav"), 999, 1, WavWriter.Encoding.PCM16)).getMessage());
        try (WavWriter w = WavWriter.create(tmp.resolve("m.wav"), 8000, 1, WavWriter.Encoding.PCM16)) {
            assertThrows(IllegalStateException.class, () -> w.writeStereo(new short[1], new short[1], 0, 1));
        }
    }
}
