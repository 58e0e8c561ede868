package io.trunkline.media.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.trunkline.media.MediaConfig;
import io.trunkline.media.MediaCounters;
import io.trunkline.media.MediaEngine;
import io.trunkline.media.codec.G711Codec;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Twenty calls at once (forty sessions on loopback), each pair carrying its own tone, for two seconds: every
 * receiver hears its own caller's frequency, nothing is dropped in the ring, and everything is released at the end.
 */
class ManySessionsTest {

    @Test
    void twentyConcurrentCallsEachHearTheirOwnTone() throws Exception {
        int calls = 20;
        try (MediaEngine e = new MediaEngine(MediaConfig.defaults(InetAddress.getLoopbackAddress(), 47_600, 47_799))) {
            List<RtpSession> callers = new ArrayList<>();
            List<RtpSession> callees = new ArrayList<>();
            List<Audio.Collector> heard = new ArrayList<>();
            for (int i = 0; i < calls; i++) {
                RtpSession a = e.openSession("caller-" + i, null);
                RtpSession b = e.openSession("callee-" + i, null);
                Audio.Collector c = new Audio.Collector();
                b.addConsumer("ear", c);
                a.start(b.localRtpAddress(), 8, G711Codec.PCMA, 101);
                b.start(a.localRtpAddress(), 8, G711Codec.PCMA, 101);
                a.output().play(Audio.tone(400 + 100 * i, 2_000, 6_000));
                callers.add(a);
                callees.add(b);
                heard.add(c);
            }
            // Each session's RTP and RTCP share a loop, and the sessions' RTP is spread over both of the I/O loops.
            java.util.Set<io.netty.channel.EventLoop> rtpLoops = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
            for (List<RtpSession> side : List.of(callers, callees)) {
                for (RtpSession s : side) {
                    assertSame(s.rtpLoop(), s.rtcpLoop(), s.callId());
                    rtpLoops.add(s.rtpLoop());
                }
            }
            assertEquals(e.config().ioThreads(), rtpLoops.size(), "RTP sockets on every I/O loop");
            Thread.sleep(1_000);
            MediaCounters mid = e.counters();
            Thread.sleep(1_300);
            MediaCounters end = e.counters();
            System.out.printf("second half: sent %d, late sends %d; load average %s%n",
                    end.packetsSent() - mid.packetsSent(), end.lateSends() - mid.lateSends(),
                    java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
            for (int i = 0; i < calls; i++) {
                short[] loud = heard.get(i).loud();
                assertTrue(loud.length >= 80 * 160, "call " + i + " heard " + loud.length / 160 + " frames");
                assertEquals(400 + 100 * i, Audio.dominant(loud), 25, "call " + i);
                assertEquals(0, callees.get(i).stats().wrongPayloadType());
            }
            for (RtpSession s : callers) s.close();
            for (RtpSession s : callees) s.close();
            MediaCounters c = e.counters();
            System.out.printf("40 sessions: sent %d, received %d, late sends %d, send error p99 %d µs, tick late p99 %d µs%n",
                    c.packetsSent(), c.packetsReceived(), c.lateSends(), c.sendErrorP99Micros(), c.tickLateP99Micros());
            assertEquals(0, c.droppedRingFull());
            assertEquals(0, c.droppedMalformed());
            assertEquals(0, c.droppedConsumerFull());
            assertTrue(c.packetsSent() >= 40 * 100, "sent " + c.packetsSent());
            assertEquals(0, e.openSessions());
            assertEquals(0, e.ports().inUse());
            assertEquals(0, e.clockedSessions());
        }
    }
}
