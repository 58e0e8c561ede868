package io.trunkline.media.jitter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.trunkline.media.codec.AudioCodec;
import io.trunkline.audio.G711;
import io.trunkline.media.codec.G711Codec;
import io.trunkline.media.jitter.JitterBuffer.Frame;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Drives the buffer on a simulated 20 ms clock: packets are inserted when their arrival time has passed, then one
 * frame is pulled. Each packet's payload is a constant µ-law code derived from its sequence number, so every pulled
 * frame says which packet it came from.
 */
class JitterBufferTest {
    private static final long MS = 1_000_000L;
    private static final long SSRC = 0x1234_5678L;

    private record Pkt(long ssrc, int seq, long ts, long arrivalNanos) {}

    private static byte code(int seq) { return (byte) (0x10 + Math.floorMod(seq, 96)); }

    private static short pcmOf(int seq) { return G711.ulawToLinear(code(seq)); }

    private static Pkt pkt(int seq, long ts, long arrivalMs) { return new Pkt(SSRC, seq & 0xffff, ts & 0xffffffffL, arrivalMs * MS); }

    /** A stream of n packets starting at seq/ts, each arriving at i*20 ms + delay[i] ms. */
    private static List<Pkt> stream(int firstSeq, long firstTs, int n, long[] delayMs) {
        List<Pkt> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(pkt(firstSeq + i, firstTs + 160L * i, 20L * i + (delayMs == null ? 0 : delayMs[i])));
        }
        return out;
    }

    /** Runs the clock for {@code ticks} ticks (tick k at 10 + 20k ms) and returns the sequence numbers played (-1 none). */
    private static final class Sim {
        final JitterBuffer jb;
        final List<Frame> kinds = new ArrayList<>();
        final List<short[]> frames = new ArrayList<>();

        Sim(AudioCodec codec) { jb = new JitterBuffer(codec, 40, 200, 1500); }

        Sim() { this(G711Codec.PCMU); }

        void run(List<Pkt> packets, int ticks) {
            List<Pkt> pending = new ArrayList<>(packets);
            for (int k = 0; k < ticks; k++) {
                long now = (10 + 20L * k) * MS;
                for (var it = pending.iterator(); it.hasNext(); ) {
                    Pkt p = it.next();
                    if (p.arrivalNanos <= now) {
                        byte[] payload = new byte[160];
                        Arrays.fill(payload, code(p.seq));
                        jb.insert(p.ssrc, p.seq, p.ts, payload, 0, 160, p.arrivalNanos, false);
                        it.remove();
                    }
                }
                short[] pcm = new short[160];
                kinds.add(jb.pull(pcm));
                frames.add(pcm);
            }
        }

        /** CONCEALED frames before the last AUDIO frame (the stream's end also runs the buffer dry). */
        long concealedInStream() {
            int last = kinds.lastIndexOf(Frame.AUDIO);
            return kinds.subList(0, last).stream().filter(k -> k == Frame.CONCEALED).count();
        }

        /** The sequence numbers (mod 96 identity) of AUDIO frames in order. */
        List<Short> audio() {
            List<Short> out = new ArrayList<>();
            for (int i = 0; i < kinds.size(); i++) if (kinds.get(i) == Frame.AUDIO) out.add(frames.get(i)[0]);
            return out;
        }
    }

    private static List<Short> expected(int firstSeq, int n) {
        List<Short> out = new ArrayList<>();
        for (int i = 0; i < n; i++) out.add(pcmOf((firstSeq + i) & 0xffff));
        return out;
    }

    @Test
    void inOrderStreamPlaysEveryPacketOnceAfterPriming() {
        Sim sim = new Sim();
        sim.run(stream(100, 5000, 50, null), 60);
        assertEquals(expected(100, 50), sim.audio());
        assertEquals(Frame.SILENCE, sim.kinds.get(0), "waits for the 40 ms target before playing");
        assertEquals(0, sim.jb.lost());
        assertEquals(0, sim.jb.late());
        assertEquals(50, sim.jb.played());
    }

    @Test
    void reorderedPacketsPlayInSequence() {
        List<Pkt> s = stream(0, 0, 40, null);
        // Swap arrival of 10/11 and 20/21/22 (within the 40 ms depth).
        s.set(10, pkt(10, 1600, 20 * 11 + 1));
        s.set(11, pkt(11, 1760, 20 * 11));
        s.set(20, pkt(20, 3200, 20 * 21 + 5));
        s.set(21, pkt(21, 3360, 20 * 21 + 2));
        Sim sim = new Sim();
        sim.run(s, 50);
        assertEquals(expected(0, 40), sim.audio());
        assertEquals(0, sim.jb.lost());
    }

    @Test
    void lossIsConcealedByRepeatAndFadeForG711() {
        List<Pkt> s = stream(0, 0, 30, null);
        s.remove(15);
        Sim sim = new Sim();
        sim.run(s, 40);
        assertEquals(1, sim.jb.lost());
        assertEquals(1, sim.concealedInStream());
        int at = sim.kinds.indexOf(Frame.CONCEALED);
        short[] prev = sim.frames.get(at - 1);
        short[] conc = sim.frames.get(at);
        assertEquals(pcmOf(14), prev[0]);
        assertEquals(prev[0], conc[0], "first concealed sample repeats the last good one at full gain");
        assertTrue(Math.abs(conc[159]) < Math.abs(prev[159]), "and fades across the frame");
        assertEquals(pcmOf(16), sim.frames.get(at + 1)[0], "the next packet plays on time");
    }

    @Test
    void longGapFadesToSilenceThenRePrimes() {
        List<Pkt> s = stream(0, 0, 40, null);
        s.subList(10, 18).clear();
        Sim sim = new Sim();
        sim.run(s, 50);
        int first = sim.kinds.indexOf(Frame.CONCEALED);
        for (int k = 1; k < JitterBuffer.FADE_FRAMES; k++) {
            assertEquals(Frame.CONCEALED, sim.kinds.get(first + k));
            assertTrue(Math.abs(sim.frames.get(first + k)[0]) < Math.abs(sim.frames.get(first + k - 1)[0]),
                    "each concealed frame quieter than the last");
        }
        assertEquals(Frame.SILENCE, sim.kinds.get(first + JitterBuffer.FADE_FRAMES));
        assertEquals(0, sim.frames.get(first + JitterBuffer.FADE_FRAMES)[0]);
        assertTrue(sim.jb.underruns() >= JitterBuffer.UNDERRUN_FRAMES);
        List<Short> played = sim.audio();
        assertEquals(expected(18, 22), played.subList(10, 32), "playout re-primes on the packets after the gap");
        assertEquals(0, sim.jb.late());
    }

    @Test
    void codecPlcIsUsedWhenOffered() {
        AudioCodec withPlc = new AudioCodec() {
            public String name() { return "test-plc"; }
            public int sampleRate() { return 8000; }
            public int rtpClockRate() { return 8000; }
            public int encode(short[] pcm, int samples, byte[] out, int o) { return 0; }
            public int decode(byte[] p, int o, int len, short[] pcm) { return G711Codec.PCMU.decode(p, o, len, pcm); }
            @Override public int decodeLost(short[] pcm, int samples) { Arrays.fill(pcm, 0, samples, (short) 7); return samples; }
        };
        List<Pkt> s = stream(0, 0, 20, null);
        s.remove(8);
        Sim sim = new Sim(withPlc);
        sim.run(s, 30);
        int at = sim.kinds.indexOf(Frame.CONCEALED);
        assertEquals(7, sim.frames.get(at)[80]);
        assertEquals(1, sim.concealedInStream());
    }

    @Test
    void codecWithoutPlcOtherThanG711ConcealsWithSilence() {
        AudioCodec noPlc = new AudioCodec() {
            public String name() { return "L16"; }
            public int sampleRate() { return 8000; }
            public int rtpClockRate() { return 8000; }
            public int encode(short[] pcm, int samples, byte[] out, int o) { return 0; }
            public int decode(byte[] p, int o, int len, short[] pcm) { return G711Codec.PCMU.decode(p, o, len, pcm); }
        };
        List<Pkt> s = stream(0, 0, 20, null);
        s.remove(8);
        Sim sim = new Sim(noPlc);
        sim.run(s, 30);
        assertEquals(1, sim.jb.lost());
        assertEquals(0, sim.jb.concealed());
    }

    @Test
    void duplicatesAreDroppedAndCounted() {
        List<Pkt> s = stream(0, 0, 20, null);
        s.add(pkt(5, 800, 20 * 5 + 3));
        s.add(pkt(6, 960, 20 * 6 + 1));
        Sim sim = new Sim();
        sim.run(s, 30);
        assertEquals(expected(0, 20), sim.audio());
        assertEquals(2, sim.jb.duplicates() + sim.jb.late());
    }

    @Test
    void packetAfterItsPlayTimeIsLate() {
        List<Pkt> s = stream(0, 0, 20, null);
        s.set(10, pkt(10, 1600, 20 * 10 + 200));
        Sim sim = new Sim();
        sim.run(s, 30);
        assertEquals(1, sim.jb.late());
        assertEquals(1, sim.jb.lost());
    }

    @Test
    void sequenceAndTimestampWrapPlaysContinuously() {
        Sim sim = new Sim();
        sim.run(stream(65_520, 0xffff_ffffL - 160 * 10 + 1, 40, null), 50);
        assertEquals(expected(65_520, 40), sim.audio());
        assertEquals(0, sim.jb.resyncs());
        assertEquals(0, sim.jb.lost());
    }

    @Test
    void largeSequenceJumpResyncs() {
        List<Pkt> s = stream(0, 0, 20, null);
        for (int i = 0; i < 20; i++) s.add(pkt(5_000 + i, 3200 + 160L * i, 400 + 20L * i));
        Sim sim = new Sim();
        sim.run(s, 50);
        assertEquals(1, sim.jb.resyncs());
        List<Short> played = sim.audio();
        assertEquals(expected(5_000, 20), played.subList(played.size() - 20, played.size()));
    }

    @Test
    void timestampJumpWithContinuousSequenceResyncs() {
        List<Pkt> s = stream(0, 0, 20, null);
        for (int i = 0; i < 20; i++) s.add(pkt(20 + i, 3_000_000 + 160L * i, 400 + 20L * i));
        Sim sim = new Sim();
        sim.run(s, 50);
        assertEquals(1, sim.jb.resyncs());
    }

    @Test
    void newSsrcResyncs() {
        List<Pkt> s = stream(0, 0, 20, null);
        for (int i = 0; i < 20; i++) s.add(new Pkt(0x9999L, 30_000 + i, 777 + 160L * i, (400 + 20L * i) * MS));
        Sim sim = new Sim();
        sim.run(s, 50);
        assertEquals(1, sim.jb.resyncs());
        List<Short> played = sim.audio();
        assertEquals(expected(30_000, 20), played.subList(played.size() - 20, played.size()));
    }

    @Test
    void targetDepthFollowsJitterWithinBounds() {
        Sim calm = new Sim();
        calm.run(stream(0, 0, 200, null), 210);
        assertEquals(2, calm.jb.targetDepth(), "no jitter: the 40 ms minimum");

        long[] delays = new long[300];
        Random r = new Random(7);
        for (int i = 0; i < delays.length; i++) delays[i] = r.nextInt(80);
        Sim rough = new Sim();
        rough.run(stream(0, 0, 300, delays), 320);
        assertTrue(rough.jb.jitterMs() > 15, "jitter measured: " + rough.jb.jitterMs());
        assertTrue(rough.jb.targetDepth() > 2 && rough.jb.targetDepth() <= 10, "target " + rough.jb.targetDepth());
    }

    @Test
    void pausedStreamResumesWithoutLateDrops() {
        List<Pkt> s = stream(0, 0, 20, null);
        // Silence suppression: 600 ms without packets, then the sequence continues (timestamp jumps 600 ms).
        for (int i = 0; i < 20; i++) s.add(pkt(20 + i, 160L * 20 + 4_800 + 160L * i, 1_000 + 20L * i));
        Sim sim = new Sim();
        sim.run(s, 90);
        assertEquals(0, sim.jb.late());
        assertEquals(40, sim.jb.played());
        assertEquals(0, sim.jb.resyncs());
    }

    @Test
    void rejectsBadBounds() {
        var e = assertThrows(IllegalArgumentException.class, () -> new JitterBuffer(G711Codec.PCMU, 10, 200, 1500));
        assertTrue(e.getMessage().contains("minMs=10"));
        e = assertThrows(IllegalArgumentException.class, () -> new JitterBuffer(G711Codec.PCMU, 100, 60, 1500));
        assertTrue(e.getMessage().contains("maxMs=60"));
    }
}
