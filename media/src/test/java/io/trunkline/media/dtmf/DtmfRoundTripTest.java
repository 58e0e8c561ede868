package io.trunkline.media.dtmf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntPredicate;
import org.junit.jupiter.api.Test;

/** DtmfSender's packets, through a lossy network, into DtmfReceiver. */
class DtmfRoundTripTest {

    /** A sent packet: the tick it went out on and what an RTP header and payload would carry. */
    record Packet(int tick, int timestamp, boolean marker, int event, boolean end, int volume, int duration) {
        byte[] payload() {
            return new byte[] {(byte) event, (byte) ((end ? 0x80 : 0) | volume), (byte) (duration >> 8), (byte) duration};
        }
    }

    record Digit(char digit, int timestamp, int durationMs, boolean ended) {}

    /** Starts the RTP clock just below the 32-bit wrap, so the sequence crosses it. */
    static final int START_TS = 0xFFFF_F000;

    static List<Packet> play(DtmfSender sender, String digits, int maxTicks) {
        sender.send(SendDigits.parse(digits));
        List<Packet> packets = new ArrayList<>();
        byte[] buf = new byte[10];
        for (int t = 0; t < maxTicks && !sender.isIdle(); t++) {
            if (sender.tick(START_TS + t * 160, buf, 3)) {
                packets.add(new Packet(t, sender.timestamp(), sender.marker(), buf[3], (buf[4] & 0x80) != 0,
                        buf[4] & 0x3F, ((buf[5] & 0xFF) << 8) | (buf[6] & 0xFF)));
            }
        }
        assertTrue(sender.isIdle(), "finished within " + maxTicks + " ticks");
        return packets;
    }

    static List<Digit> receive(List<Packet> packets, IntPredicate keep, int lastTick) {
        List<Digit> digits = new ArrayList<>();
        DtmfReceiver r = new DtmfReceiver(8000, (d, ts, ms, ended) -> digits.add(new Digit(d, ts, ms, ended)));
        for (int i = 0; i < packets.size(); i++) {
            if (keep.test(i)) {
                byte[] p = packets.get(i).payload();
                r.onPacket(packets.get(i).timestamp(), p, 0, 4);
            }
        }
        r.onTimestamp(START_TS + (lastTick + 20) * 160); // voice resumes after the last digit
        assertEquals(0, r.malformed());
        return digits;
    }

    @Test
    void oneDigitIsTheRfc4733PacketSequence() {
        List<Packet> p = play(new DtmfSender(), "5", 100);
        // 100 ms at 8 kHz: durations 160..640 each 20 ms, then the end packet (800) three times
        assertEquals(List.of(
                new Packet(0, START_TS, true, 5, false, 10, 160),
                new Packet(1, START_TS, false, 5, false, 10, 320),
                new Packet(2, START_TS, false, 5, false, 10, 480),
                new Packet(3, START_TS, false, 5, false, 10, 640),
                new Packet(4, START_TS, false, 5, true, 10, 800),
                new Packet(5, START_TS, false, 5, true, 10, 800),
                new Packet(6, START_TS, false, 5, true, 10, 800)), p);
    }

    @Test
    void tonesStartWhereTheStringSaysAndGapsAreAtLeast50ms() {
        // 1 at 0; 100 ms tone + 100 ms gap + 500 ms wait: 2 at 700 ms; then 100 + 100 + 1000: 3 at 1900 ms
        assertEquals(List.of(0, 35, 95), starts(play(new DtmfSender(), "1w2W3", 500)));
        // 1 s tones, 100 ms apart
        assertEquals(List.of(0, 55, 110), starts(play(new DtmfSender(), "123@1000", 500)));
        // odd lengths: a 130 ms tone ends mid-tick; the 50 ms gap rounds up to the next tick (180 ms -> 180)
        List<Packet> odd = play(new DtmfSender(8000, 50, 10), "12@130", 500);
        assertEquals(List.of(0, 9), starts(odd));
        Packet end = odd.stream().filter(Packet::end).findFirst().orElseThrow();
        assertEquals(1040, end.duration(), "the final duration is the exact 130 ms, not the tick it went out on");
        // the three end packets always precede the next event, whatever the gap
        for (String s : new String[] {"1234@40", "55@45", "*#@5000"}) {
            List<Packet> p = play(new DtmfSender(8000, 50, 10), s, 2000);
            for (int i = 1; i < p.size(); i++) {
                if (p.get(i).marker()) {
                    assertEquals(3, p.subList(i - 3, i).stream().filter(Packet::end).count(), s);
                    int previousEndTick = p.get(i - 3).tick();
                    int gapMs = (p.get(i).tick() - previousEndTick) * 20 - 20;
                    assertTrue(gapMs >= 50 - 19, s + ": gap " + gapMs); // end packet sent at the tone's last tick
                }
            }
        }
    }

    private static List<Integer> starts(List<Packet> packets) {
        return packets.stream().filter(Packet::marker).map(Packet::tick).toList();
    }

    @Test
    void roundTripOverALosslessNetwork() {
        List<Packet> p = play(new DtmfSender(), "1w2W3@200", 500);
        List<Digit> d = receive(p, i -> true, p.get(p.size() - 1).tick());
        assertEquals("123", digits(d));
        for (Digit x : d) {
            assertEquals(200, x.durationMs());
            assertTrue(x.ended());
        }
        // 200 ms tone + 100 ms gap + 500 ms wait = 800 ms = 6400 timestamp units, across the 32-bit wrap
        assertEquals(6400, d.get(1).timestamp() - d.get(0).timestamp());
        assertEquals(200 * 8 + 800 + 8000, d.get(2).timestamp() - d.get(1).timestamp());
    }

    @Test
    void roundTripSurvivesLossDuplicationAndLateArrivals() {
        List<Packet> p = new ArrayList<>(play(new DtmfSender(), "147#", 500));
        int[] markers = p.stream().filter(Packet::marker).mapToInt(p::indexOf).toArray();
        // digit 1: two of its three end packets lost
        // digit 4: its first packet (the marker) lost, and every packet duplicated
        // digit 7: all three end packets lost: reported when # starts, with the last duration seen
        // digit #: all end packets lost and nothing follows: reported when voice moves on
        int end1 = markers[0] + 4;
        List<Packet> network = new ArrayList<>();
        for (int i = 0; i < p.size(); i++) {
            Packet x = p.get(i);
            boolean digit4 = i >= markers[1] && i < markers[2];
            boolean digit7 = i >= markers[2] && i < markers[3];
            boolean digitHash = i >= markers[3];
            if (i == end1 || i == end1 + 1 || i == markers[1] || (digit7 || digitHash) && x.end()) {
                continue;
            }
            network.add(x);
            if (digit4) {
                network.add(x);
            }
        }
        network.add(3, p.get(0)); // a late copy of digit 1's first packet, after its end
        network.add(p.get(markers[2])); // digit 7's first packet again, after # started: ignored
        List<Digit> d = receive(network, i -> true, p.get(p.size() - 1).tick());
        assertEquals("147#", digits(d));
        assertEquals(List.of(100, 100, 80, 80), d.stream().map(Digit::durationMs).toList());
        assertEquals(List.of(true, true, false, false), d.stream().map(Digit::ended).toList());
        for (int i = 1; i < d.size(); i++) {
            assertEquals(200 * 8, d.get(i).timestamp() - d.get(i - 1).timestamp(), "200 ms between starts");
        }
    }

    @Test
    void malformedPayloadsAreCountedAndDropped() {
        List<Digit> d = new ArrayList<>();
        DtmfReceiver r = new DtmfReceiver(8000, (c, ts, ms, e) -> d.add(new Digit(c, ts, ms, e)));
        r.onPacket(100, new byte[] {1, (byte) 0x8A, 0, (byte) 160}, 0, 3);
        r.onPacket(100, new byte[] {1, (byte) 0x8A, 0, (byte) 160, 0}, 0, 5);
        r.onPacket(100, new byte[] {16, (byte) 0x8A, 0, (byte) 160}, 0, 4); // flash: not DTMF
        r.onPacket(100, new byte[] {(byte) 200, (byte) 0x8A, 0, (byte) 160}, 0, 4);
        assertEquals(4, r.malformed());
        assertTrue(d.isEmpty());
        r.onPacket(200, new byte[] {9, (byte) 0x8A, 0x03, 0x20}, 0, 4);
        assertEquals(List.of(new Digit('9', 200, 100, true)), d);
        assertEquals(1, r.digits());
    }

    @Test
    void senderRejectsSettingsOutsideTheirRange() {
        assertEquals("DTMF gap must be 50..10000 ms, got 49",
                assertThrows(IllegalArgumentException.class, () -> new DtmfSender(8000, 49, 10)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> new DtmfSender(8000, 100, 64));
        DtmfSender wide = new DtmfSender(48000, 100, 10);
        assertEquals("tone of 5000 ms at step 1 exceeds the telephone-event duration field at 48000 Hz (max 1365 ms)",
                assertThrows(IllegalArgumentException.class, () -> wide.send(SendDigits.parse("1@5000"))).getMessage());
        List<Packet> p = play(wide, "1@1000", 200);
        assertEquals(48000, p.get(p.size() - 1).duration(), "1 s at 48 kHz");
    }

    @Test
    void cancelEndsTheCurrentToneProperly() {
        DtmfSender s = new DtmfSender();
        s.send(SendDigits.parse("12345"));
        byte[] buf = new byte[4];
        assertTrue(s.tick(0, buf, 0));
        assertTrue(s.tick(160, buf, 0));
        assertTrue(s.isToneActive());
        s.cancel();
        int ends = 0;
        while (!s.isIdle()) {
            assertTrue(s.tick(320, buf, 0));
            assertTrue((buf[1] & 0x80) != 0);
            ends++;
        }
        assertEquals(3, ends);
        assertEquals(320, ((buf[2] & 0xFF) << 8) | (buf[3] & 0xFF), "ends at the duration already announced");
        assertFalse(s.tick(480, buf, 0));
    }

    @Test
    void ticksAndPacketsAllocateNothing() {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        SendDigits digits = SendDigits.parse("0123456789*#ABCD@60");
        int[] count = new int[1];
        DtmfReceiver r = new DtmfReceiver(8000, (d, ts, ms, e) -> count[0]++);
        DtmfSender s = new DtmfSender(8000, 50, 10);
        byte[] buf = new byte[4];
        int ts = 0;
        for (int round = 0; round < 2; round++) {
            s.send(digits);
            long before = mx.getCurrentThreadAllocatedBytes();
            while (!s.isIdle()) {
                ts += 160;
                if (s.tick(ts, buf, 0)) {
                    r.onPacket(s.timestamp(), buf, 0, 4);
                }
            }
            long allocated = mx.getCurrentThreadAllocatedBytes() - before;
            if (round == 1) { // the first round warms up (class loading)
                assertTrue(allocated < 500, "a 16-digit string allocated " + allocated + " bytes");
            }
        }
        assertEquals(32, count[0]);
    }

    private static String digits(List<Digit> d) {
        StringBuilder b = new StringBuilder();
        d.forEach(x -> b.append(x.digit()));
        return b.toString();
    }
}
