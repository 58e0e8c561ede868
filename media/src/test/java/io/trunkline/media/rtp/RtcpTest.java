package io.trunkline.media.rtp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class RtcpTest {

    @Test
    void receiveStatsFollowRfc3550AppendixA1AcrossTheWrap() {
        RtpReceiveStats st = new RtpReceiveStats(8000);
        long t = 0;
        int seq = 65_530;
        int lostCount = 0;
        for (int i = 0; i < 100; i++, seq = (seq + 1) & 0xffff) {
            if (i > 10 && i % 10 == 0) {
                lostCount++;
                continue;
            }
            st.update(0x55, seq, 160L * i, t + i * 20_000_000L);
        }
        assertTrue(st.haveSource());
        assertEquals(65_536 + ((65_530 + 99) & 0xffff), st.extendedHighestSeq(), "one cycle counted");
        assertEquals(lostCount, st.cumulativeLost());
        assertEquals(99, st.expected(), "the first packet ends probation and becomes the base");
        int fraction = st.takeFractionLost();
        assertEquals(lostCount * 256 / 99, fraction);
        assertEquals(0, st.takeFractionLost(), "nothing new in the next interval");
        assertEquals(0, st.jitter(), "perfectly paced: no jitter");
    }

    @Test
    void jitterFollowsAppendixA8() {
        RtpReceiveStats st = new RtpReceiveStats(8000);
        // Alternate 0 and 10 ms extra delay: |D| = 80 timestamp units every packet, so J converges to 80.
        for (int i = 0; i < 400; i++) st.update(1, i, 160L * i, i * 20_000_000L + (i % 2) * 10_000_000L);
        assertEquals(80, st.jitter(), 2);
        assertEquals(10.0, st.jitterMs(), 0.3);
    }

    @Test
    void telephoneEventsCountForLossButNotForJitter() {
        RtpReceiveStats st = new RtpReceiveStats(8000);
        // Perfectly paced packets; 10 of them are one DTMF event, all stamped with the event's start.
        for (int i = 0; i < 100; i++) {
            boolean event = i >= 40 && i < 50;
            st.update(1, i, event ? 160L * 40 : 160L * i, i * 20_000_000L, !event);
        }
        assertEquals(0, st.jitter(), "the event's constant timestamps are not network jitter");
        assertEquals(99, st.expected());
        assertEquals(0, st.cumulativeLost());
    }

    @Test
    void sequenceRestartIsAcceptedAfterTwoSequentialPackets() {
        RtpReceiveStats st = new RtpReceiveStats(8000);
        for (int i = 0; i < 10; i++) assertEquals(i > 0, st.update(9, 100 + i, 0, 0));
        assertFalse(st.update(9, 40_000, 0, 0), "a jump is not believed at once");
        assertTrue(st.update(9, 40_001, 0, 0), "the next sequential packet confirms the restart");
        assertEquals(40_001, st.extendedHighestSeq());
    }

    @Test
    void senderReportRoundTripsThroughTheParser() {
        RtpReceiveStats st = new RtpReceiveStats(8000);
        for (int i = 0; i < 50; i++) if (i != 20 && i != 30) st.update(0xCAFEL, i, 160L * i, i * 20_000_000L);
        ByteBuf b = Unpooled.buffer();
        long ntp = Rtcp.ntpTime(1_700_000_000_123_000_000L);
        long lsr = 0x1234_5678L;
        Rtcp.writeSenderReport(b, 0xBEEFL, ntp, 999, 50, 8000, st, lsr, 500_000_000L);
        Rtcp.writeSdesCname(b, 0xBEEFL, "x@127.0.0.1".getBytes(StandardCharsets.US_ASCII));
        Rtcp.writeBye(b, 0xBEEFL);
        assertEquals(0, b.readableBytes() % 4);

        // Parsed as the sender of the reported stream (SSRC 0xCAFE) would.
        PeerReport peer = new PeerReport();
        long arrivalNtp = (lsr + 65_536L + 32_768L) << 16; // LSR + 1 s of round trip + 0.5 s DLSR
        assertTrue(Rtcp.parse(b, 0xCAFEL, 0, arrivalNtp, peer));
        PeerReport.Snapshot s = peer.snapshot();
        assertEquals(1, s.reports());
        assertEquals(2, s.cumulativeLost());
        assertEquals(2 * 256 / 49, s.fractionLost());
        assertEquals(49, s.extendedHighestSeq());
        assertTrue(s.bye());
        assertEquals(1, s.senderReports());
        assertEquals(Rtcp.ntpMiddle(ntp), peer.lastSrMiddle());
        assertEquals(1_000_000, s.rttMicros(), 20, "RTT = arrival - LSR - DLSR = 1 s");
    }

    @Test
    void malformedCompoundIsRejected() {
        PeerReport peer = new PeerReport();
        ByteBuf shortOne = Unpooled.wrappedBuffer(new byte[] {(byte) 0x80, (byte) 200, 0, 1});
        assertFalse(Rtcp.parse(shortOne, 1, 0, 0, peer));
        ByteBuf lying = Unpooled.wrappedBuffer(new byte[] {(byte) 0x81, (byte) 201, 0, 40, 0, 0, 0, 1, 0, 0, 0, 0});
        assertFalse(Rtcp.parse(lying, 1, 0, 0, peer), "length past the datagram");
        ByteBuf badCount = Unpooled.wrappedBuffer(new byte[] {(byte) 0x85, (byte) 201, 0, 1, 0, 0, 0, 1});
        assertFalse(Rtcp.parse(badCount, 1, 0, 0, peer), "report count that does not fit");
        assertEquals(0, peer.snapshot().reports());
    }
}
