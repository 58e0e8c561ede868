package io.trunkline.media.record;

import static io.trunkline.audio.Tones.amplitudeAt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.trunkline.audio.WavReader;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CallRecorderTest {

    @TempDir
    Path tmp;

    private final RecordingWriter writer = new RecordingWriter();

    @AfterEach
    void theWriterThreadEnds() {
        writer.close();
        assertFalse(writer.isAlive());
        assertEquals(0, writer.activeRecorders());
        assertEquals(0, Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals("trunkline-recording-writer")).count());
    }

    static short[] frame(int rate, double hz, int frameIndex) {
        short[] f = new short[rate / 50];
        for (int i = 0; i < f.length; i++) {
            long n = (long) frameIndex * f.length + i;
            f[i] = (short) Math.round(8000 * Math.sin(2 * Math.PI * hz * n / rate));
        }
        return f;
    }


    /** Callee: 1 kHz for the whole second. Engine: silent for 0.5 s, then 400 Hz for 0.5 s. Paced like a call. */
    private CallRecorder record(Path file, CallRecorder.Layout layout, int rate) throws Exception {
        CallRecorder r = writer.start(file, rate, layout);
        for (int f = 0; f < 50; f++) {
            assertTrue(r.offer(frame(rate, 1000, f), f < 25 ? null : frame(rate, 400, f)), "frame " + f);
            if (f % 10 == 9) {
                Thread.sleep(20); // let the writer run, as real time would
            }
        }
        r.close();
        return r;
    }

    @Test
    void stereoPutsEachToneInItsOwnChannelWithItsLength() throws Exception {
        Path f = tmp.resolve("call.wav");
        CallRecorder r = record(f, CallRecorder.Layout.STEREO, 8000);
        assertEquals(50, r.writtenFrames());
        assertEquals(0, r.droppedFrames());
        WavReader.Channels c = WavReader.readChannels(f);
        assertEquals(2, c.channelCount());
        assertEquals(8000, c.sampleRate());
        assertEquals(8000, c.frames(), "one second");
        short[] callee = c.channel(0);
        short[] engine = c.channel(1);
        assertEquals(8000, amplitudeAt(callee, 0, 8000, 8000, 1000), 10);
        assertTrue(amplitudeAt(callee, 0, 8000, 8000, 400) < 10, "no engine audio in the callee channel");
        assertTrue(amplitudeAt(engine, 0, 4000, 8000, 400) < 1, "engine silent for its first half second");
        assertEquals(8000, amplitudeAt(engine, 4000, 8000, 8000, 400), 10);
        assertTrue(amplitudeAt(engine, 0, 8000, 8000, 1000) < 10, "no callee audio in the engine channel");
        // the 400 Hz starts exactly at sample 4000: the recording keeps frame alignment
        assertEquals(0, engine[3999]);
        assertEquals(frame(8000, 400, 25)[1], engine[4001]);
    }

    @Test
    void monoMixesBothDirections() throws Exception {
        Path f = tmp.resolve("mono.wav");
        record(f, CallRecorder.Layout.MONO, 16000);
        WavReader.Channels c = WavReader.readChannels(f);
        assertEquals(1, c.channelCount());
        assertEquals(16000, c.frames());
        short[] m = c.channel(0);
        assertEquals(8000, amplitudeAt(m, 0, 16000, 16000, 1000), 10);
        assertEquals(8000, amplitudeAt(m, 8000, 16000, 16000, 400), 10);
        assertTrue(amplitudeAt(m, 0, 8000, 16000, 400) < 1);
    }

    @Test
    void aFullRingDropsAndCountsWithoutBlocking() throws Exception {
        Path f = tmp.resolve("burst.wav");
        CallRecorder r = writer.start(f, 8000, CallRecorder.Layout.STEREO, 4);
        short[] a = frame(8000, 1000, 0);
        int accepted = 0;
        long slowest = 0;
        for (int i = 0; i < 2000; i++) { // 40 s of audio offered in well under the writer's 10 ms poll
            long t0 = System.nanoTime();
            if (r.offer(a, a)) {
                accepted++;
            }
            slowest = Math.max(slowest, System.nanoTime() - t0);
        }
        r.close();
        assertTrue(r.droppedFrames() > 0, "a 4-slot ring cannot take a 2000-frame burst");
        assertEquals(2000, accepted + r.droppedFrames());
        assertEquals(accepted, r.writtenFrames());
        assertEquals(accepted * 160L, WavReader.readChannels(f).frames(), "exactly the accepted frames on disk");
        assertTrue(slowest < 5_000_000, "an offer took " + slowest / 1000 + " µs");
        assertFalse(r.offer(a, a), "closed");
    }

    @Test
    void offeringAFrameAllocatesNothing() throws Exception {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        CallRecorder r = writer.start(tmp.resolve("alloc.wav"), 8000, CallRecorder.Layout.STEREO, 4096);
        short[] a = frame(8000, 1000, 0);
        for (int i = 0; i < 1000; i++) {
            r.offer(a, null);
        }
        long before = mx.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < 1000; i++) {
            r.offer(a, a);
        }
        long allocated = mx.getCurrentThreadAllocatedBytes() - before;
        r.close();
        assertTrue(allocated < 500, "1000 offers allocated " + allocated + " bytes");
    }

    /** A full disk fails that recording (reported by close, later frames dropped), not the shared writer thread. */
    @Test
    void aDiskErrorFailsOnlyThatRecording() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isWritable(Path.of("/dev/full")), "needs /dev/full");
        CallRecorder full = writer.start(Path.of("/dev/full"), 8000, CallRecorder.Layout.STEREO);
        CallRecorder fine = writer.start(tmp.resolve("fine.wav"), 8000, CallRecorder.Layout.MONO);
        short[] a = frame(8000, 1000, 0);
        for (int i = 0; i < 400; i++) { // 8 s: 1.3 MB of stereo, many 64 KiB writes that fail
            full.offer(a, a);
            fine.offer(a, null);
            if (i % 20 == 19) {
                Thread.sleep(15);
            }
        }
        Thread.sleep(50);
        assertFalse(full.offer(a, a), "a failed recording takes no more frames");
        assertTrue(full.droppedFrames() > 0);
        IOException e = assertThrows(IOException.class, full::close);
        assertTrue(String.valueOf(e.getMessage()).contains("space"), e.toString());
        assertTrue(writer.isAlive());
        fine.close();
        assertEquals(400 * 160, WavReader.readChannels(tmp.resolve("fine.wav")).frames());
    }

    @Test
    void closingTheWriterFinishesOpenRecordingsAndBadSettingsAreRefused() throws Exception {
        Path f = tmp.resolve("open.wav");
        CallRecorder r = writer.start(f, 8000, CallRecorder.Layout.MONO);
        for (int i = 0; i < 10; i++) {
            r.offer(frame(8000, 500, i), null);
        }
        assertEquals("recording ring slots must be a power of two 2..4096, got 3", assertThrows(
                IllegalArgumentException.class, () -> writer.start(tmp.resolve("x.wav"), 8000,
                        CallRecorder.Layout.MONO, 3)).getMessage());
        writer.close();
        assertEquals(1600, WavReader.readChannels(f).frames(), "header fixed by the writer's close");
        r.close(); // already finished: returns at once
        assertTrue(Files.size(f) == 44 + 3200);
        assertThrows(IllegalStateException.class, () -> writer.start(tmp.resolve("y.wav"), 8000,
                CallRecorder.Layout.MONO));
    }
}
