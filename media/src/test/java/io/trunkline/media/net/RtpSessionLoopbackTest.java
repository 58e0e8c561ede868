package io.trunkline.media.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.trunkline.media.MediaConfig;
import io.trunkline.media.MediaCounters;
import io.trunkline.media.MediaEngine;
import io.trunkline.audio.G711;
import io.trunkline.media.codec.G711Codec;
import io.trunkline.media.pipeline.ConsumerTap;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** RtpSessions on real UDP sockets on 127.0.0.1, with raw java.net sockets playing misbehaving peers. */
class RtpSessionLoopbackTest {
    private static final InetAddress LO = InetAddress.getLoopbackAddress();
    private final List<AutoCloseable> toClose = new ArrayList<>();
    private MediaEngine engine;

    private MediaEngine engine(MediaConfig config) {
        engine = new MediaEngine(config);
        return engine;
    }

    private static MediaConfig config() { return MediaConfig.defaults(LO, 47_000, 47_199); }

    private DatagramSocket socket() throws Exception {
        DatagramSocket s = new DatagramSocket(new InetSocketAddress(LO, 0));
        s.setSoTimeout(2_000);
        toClose.add(s);
        return s;
    }

    /** Two sockets on consecutive ports p (even or odd) and p + 1, as a peer's RTP and RTCP. */
    private DatagramSocket[] socketPair() throws Exception {
        while (true) {
            DatagramSocket rtp = socket();
            try {
                DatagramSocket rtcp = new DatagramSocket(new InetSocketAddress(LO, rtp.getLocalPort() + 1));
                rtcp.setSoTimeout(2_000);
                toClose.add(rtcp);
                return new DatagramSocket[] {rtp, rtcp};
            } catch (java.net.SocketException taken) {
                rtp.close();
            }
        }
    }

    @AfterEach
    void closeAndCheckEverythingReleased() throws Exception {
        for (AutoCloseable c : toClose) c.close();
        if (engine != null) {
            assertEquals(0, engine.openSessions(), "sessions left open");
            assertEquals(0, engine.ports().inUse(), "port pairs left held");
            assertEquals(0, engine.clockedSessions(), "sessions left on the clock");
            engine.close();
        }
    }

    private static byte[] rtp(int pt, int seq, long ts, long ssrc, byte[] payload) {
        ByteBuffer b = ByteBuffer.allocate(12 + payload.length);
        b.put((byte) 0x80).put((byte) pt).putShort((short) seq).putInt((int) ts).putInt((int) ssrc).put(payload);
        return b.array();
    }

    private static byte[] ulaw(short[] pcm, int offset) {
        byte[] out = new byte[160];
        for (int i = 0; i < 160; i++) out[i] = G711.linearToUlaw(pcm[offset + i]);
        return out;
    }

    private static void send(DatagramSocket from, byte[] data, InetSocketAddress to) throws Exception {
        from.send(new DatagramPacket(data, data.length, to));
    }

    /** Sends {@code frames} 20 ms PCMU packets of {@code pcm} paced in real time. */
    private static void sendTone(DatagramSocket from, InetSocketAddress to, long ssrc, int firstSeq, short[] pcm,
                                 int frames) throws Exception {
        long start = System.nanoTime();
        for (int i = 0; i < frames; i++) {
            send(from, rtp(0, firstSeq + i, 160L * i, ssrc, ulaw(pcm, (i * 160) % (pcm.length - 159))), to);
            long next = start + (i + 1) * 20_000_000L;
            long wait = next - System.nanoTime();
            if (wait > 0) TimeUnit.NANOSECONDS.sleep(wait);
        }
    }

    private static void await(String what, java.util.function.BooleanSupplier cond, long ms) throws Exception {
        long end = System.currentTimeMillis() + ms;
        while (!cond.getAsBoolean()) {
            if (System.currentTimeMillis() > end) throw new AssertionError("timed out waiting for " + what);
            Thread.sleep(10);
        }
    }

    @Test
    void toneCrossesInBothDirectionsWithTheRightFrequency() throws Exception {
        MediaEngine e = engine(config());
        CompletableFuture<RtpSession> byeAtY = new CompletableFuture<>();
        RtpSession x = e.openSession("call-x", null);
        RtpSession y = e.openSession("call-y", new RtpSession.Listener() {
            @Override
            public void onRemoteBye(RtpSession session) { byeAtY.complete(session); }
        });
        Audio.Collector atX = new Audio.Collector();
        Audio.Collector atY = new Audio.Collector();
        x.addConsumer("test", atX);
        y.addConsumer("test", atY);
        x.start(y.localRtpAddress(), 0, G711Codec.PCMU, 101);
        y.start(x.localRtpAddress(), 0, G711Codec.PCMU, 101);
        assertTrue(x.output().play(Audio.tone(1_000, 1_000, 8_000)));
        assertTrue(y.output().play(Audio.tone(600, 1_000, 8_000)));
        await("audio at both ends", () -> atX.loud().length >= 40 * 160 && atY.loud().length >= 40 * 160, 3_000);

        assertEquals(1_000, Audio.dominant(atY.loud()), 25, "x's 1 kHz tone at y");
        assertEquals(600, Audio.dominant(atX.loud()), 25, "y's 600 Hz tone at x");
        assertEquals(x.localRtpAddress(), y.latchedSource());
        RtpSessionStats sy = y.stats();
        assertEquals(0, sy.malformed());
        assertEquals(0, sy.wrongPayloadType());
        assertTrue(sy.played() >= 30, "played " + sy.played() + ", concealed " + sy.concealed());
        List<Long> idx = atY.indexes();
        for (int i = 1; i < idx.size(); i++) assertEquals(idx.get(i - 1) + 1, idx.get(i), "frame indexes consecutive");
        x.close();
        assertEquals(y, byeAtY.get(2, TimeUnit.SECONDS), "x's RTCP BYE reaches y");
        assertTrue(y.peerReport().bye());
        y.close();
        MediaCounters c = e.counters();
        assertTrue(c.packetsSent() >= 80, "sent " + c.packetsSent());
        assertTrue(c.packetsReceived() >= 70, "received " + c.packetsReceived());
        assertTrue(c.sendErrorP99Micros() > 0 && c.sendErrorP99Micros() < 50_000, "send error p99 " + c.sendErrorP99Micros());
        System.out.printf("send error p99 %d µs, late (>5 ms) %d of %d%n", c.sendErrorP99Micros(), c.lateSends(),
                c.packetsSent());
    }

    @Test
    void sequenceAndTimestampWrapOnTheWireLoseNothing() throws Exception {
        MediaEngine e = engine(config());
        RtpSession a = e.openSession("wrap-a", null);
        RtpSession b = e.openSession("wrap-b", null);
        Audio.Collector atB = new Audio.Collector();
        b.addConsumer("test", atB);
        a.setSendCounters(65_500, 0xffff_f000L);
        a.start(b.localRtpAddress(), 0, G711Codec.PCMU, -1);
        b.start(a.localRtpAddress(), 0, G711Codec.PCMU, -1);
        a.output().play(Audio.tone(1_000, 2_000, 8_000));
        await("past both wraps", () -> b.stats().played() >= 80, 4_000);
        RtpSessionStats s = b.stats();
        assertEquals(0, s.resyncs());
        assertEquals(0, s.lost());
        assertEquals(0, s.cumulativeLost());
        assertTrue(s.expected() >= 80, "RFC 3550 expected count runs across the wrap: " + s.expected());
        assertEquals(1_000, Audio.dominant(atB.loud()), 25);
        a.close();
        b.close();
    }

    @Test
    void latchesToTheSourceThePeerSendsFromAndReLatchesOnlyAfterSilenceWithNewSsrc() throws Exception {
        MediaEngine e = engine(config().withRelatchAfter(Duration.ofMillis(300)));
        DatagramSocket advertised = socket();
        DatagramSocket actual = socket();
        DatagramSocket intruder = socket();
        RtpSession s = e.openSession("latch", null);
        Audio.Collector got = new Audio.Collector();
        s.addConsumer("test", got);
        s.start((InetSocketAddress) advertised.getLocalSocketAddress(), 0, G711Codec.PCMU, -1);
        DatagramPacket in = new DatagramPacket(new byte[2048], 2048);
        advertised.receive(in);
        assertEquals(s.localRtpPort(), in.getPort(), "before latching, media goes to the SDP address");

        short[] tone = Audio.tone(1_000, 400, 8_000);
        InetSocketAddress target = s.localRtpAddress();
        sendTone(actual, target, 0xAAAA, 10, tone, 5);
        await("latch", () -> s.latchedSource() != null, 1_000);
        assertEquals(actual.getLocalSocketAddress(), s.latchedSource());
        actual.receive(in);
        assertEquals(s.localRtpPort(), in.getPort(), "after latching, media goes to the actual source");

        // Same SSRC from another port while the latched source is active: the socket is connected to the latched
        // source, so the kernel drops these before they reach the session, and the stream carries on unharmed.
        long receivedBefore = s.stats().received();
        for (int i = 0; i < 5; i++) send(intruder, rtp(0, 20 + i, 1600, 0xAAAA, new byte[160]), target);
        sendTone(actual, target, 0xAAAA, 15, tone, 5);
        await("latched source's packets", () -> s.stats().received() >= receivedBefore + 5, 1_000);
        Thread.sleep(50);
        assertEquals(receivedBefore + 5, s.stats().received(), "only the latched source's 5 packets were heard");
        assertEquals(actual.getLocalSocketAddress(), s.latchedSource());

        // After 300 ms of silence the socket hears every source again, but one with the same SSRC still cannot take
        // over: it is heard and counted as unlatched ...
        Thread.sleep(400);
        long unlatchedBefore = s.stats().unlatched();
        send(intruder, rtp(0, 30, 3200, 0xAAAA, new byte[160]), target);
        await("same-SSRC newcomer counted", () -> s.stats().unlatched() == unlatchedBefore + 1, 1_000);
        assertEquals(actual.getLocalSocketAddress(), s.latchedSource());
        // ... but a new stream (new SSRC) can.
        sendTone(intruder, target, 0xBBBB, 1_000, tone, 5);
        await("re-latch", () -> intruder.getLocalSocketAddress().equals(s.latchedSource()), 1_000);
        assertEquals(1, s.stats().relatches());
        intruder.receive(in);
        assertEquals(s.localRtpPort(), in.getPort(), "media follows the re-latched source");
        // ... and the socket is connected to the new source now: the old one is no longer heard at all
        Thread.sleep(50);
        long heard = s.stats().received();
        for (int i = 0; i < 3; i++) send(actual, rtp(0, 40 + i, 6400, 0xAAAA, new byte[160]), target);
        sendTone(intruder, target, 0xBBBB, 1_100, tone, 3);
        await("new source's packets", () -> s.stats().received() >= heard + 3, 1_000);
        Thread.sleep(50);
        assertEquals(heard + 3, s.stats().received(), "only the re-latched source is heard");
        s.close();
    }

    /**
     * On an Opus call the RFC 4733 events ride the audio's 48 kHz timestamp line: a receiver decoding at 48 kHz sees
     * the tone lengths that were asked for (an 8 kHz event clock would read as one sixth of them).
     */
    @Test
    void digitsOnAnOpusCallAreTimedOnTheAudioClock() throws Exception {
        MediaEngine e = engine(config());
        RtpSession a = e.openSession("opus-a", null);
        RtpSession b = e.openSession("opus-b", null);
        List<String> ended = new java.util.concurrent.CopyOnWriteArrayList<>();
        a.start(b.localRtpAddress(), 111, new io.trunkline.media.codec.OpusCodec(), 110);
        b.start(a.localRtpAddress(), 111, new io.trunkline.media.codec.OpusCodec(), 110);
        b.setDtmfListener((digit, ts, durationMs, end) -> { if (end) ended.add(digit + ":" + durationMs); });
        IllegalArgumentException tooLong = assertThrows(IllegalArgumentException.class,
                () -> a.sendDigits(io.trunkline.media.dtmf.SendDigits.parse("1@2000")));
        assertTrue(tooLong.getMessage().contains("at 48000 Hz (max 1365 ms)"), tooLong.getMessage());
        a.sendDigits(io.trunkline.media.dtmf.SendDigits.parse("1@200w2@1000"));
        await("two digits ended", () -> ended.size() >= 2, 5_000);
        assertEquals(List.of("1:200", "2:1000"), ended.subList(0, 2));
        a.close();
        b.close();
    }

    @Test
    void malformedPacketsAreCountedAndTheSessionKeepsWorking() throws Exception {
        MediaEngine e = engine(config());
        DatagramSocket peer = socket();
        RtpSession s = e.openSession("malformed", null);
        Audio.Collector got = new Audio.Collector();
        s.addConsumer("test", got);
        List<String> events = new ArrayList<>();
        s.setTelephoneEventListener((ssrc, seq, ts, marker, payload, off, len) -> {
            synchronized (events) {
                events.add(String.format("%d:%d:%d", payload[off], len, seq));
            }
        });
        s.start((InetSocketAddress) peer.getLocalSocketAddress(), 0, G711Codec.PCMU, 101);
        InetSocketAddress target = s.localRtpAddress();
        send(peer, new byte[] {1, 2, 3, 4, 5}, target);                                   // too short
        byte[] v1 = rtp(0, 1, 0, 7, new byte[160]);
        v1[0] = 0x40;
        send(peer, v1, target);                                                              // version 1
        byte[] ext = rtp(0, 1, 0, 7, new byte[] {0, 0, 0, 5});
        ext[0] = (byte) 0x90;
        send(peer, ext, target);                                                             // extension past the end
        send(peer, rtp(18, 1, 0, 7, new byte[20]), target);                                 // G.729: not negotiated
        send(peer, new byte[3_000], target);                                                 // oversize
        send(peer, rtp(101, 5, 800, 7, new byte[] {5, (byte) 0x8a, 0, (byte) 160}), target); // DTMF 5, end
        sendTone(peer, target, 7, 6, Audio.tone(1_000, 600, 8_000), 30);
        await("tone after garbage", () -> got.loud().length >= 20 * 160, 3_000);
        RtpSessionStats st = s.stats();
        assertEquals(4, st.malformed());
        assertEquals(1, st.wrongPayloadType());
        assertEquals(5, e.counters().droppedMalformed());
        assertEquals(1_000, Audio.dominant(got.loud()), 25);
        synchronized (events) {
            assertEquals(List.of("5:4:5"), events, "telephone-event payload handed over raw");
        }
        assertEquals(0, st.lost(), "the event held its place in the sequence");
        s.close();
    }

    @Test
    void inactivityTimeoutReportsWhyBeforeAndAfterMediaFlowed() throws Exception {
        MediaEngine e = engine(config().withInactivityTimeout(Duration.ofMillis(300)));
        DatagramSocket peer = socket();
        CompletableFuture<String> neverSent = new CompletableFuture<>();
        RtpSession quiet = e.openSession("quiet", new RtpSession.Listener() {
            @Override
            public void onInactive(RtpSession session, String reason) { neverSent.complete(reason); }
        });
        quiet.start((InetSocketAddress) peer.getLocalSocketAddress(), 0, G711Codec.PCMU, -1);
        long t0 = System.nanoTime();
        String reason = neverSent.get(2, TimeUnit.SECONDS);
        long waitedMs = (System.nanoTime() - t0) / 1_000_000;
        assertTrue(reason.contains("no RTP received within 300 ms of media start"), reason);
        assertTrue(waitedMs >= 280 && waitedMs < 1_000, "fired after " + waitedMs + " ms");

        CompletableFuture<String> stopped = new CompletableFuture<>();
        RtpSession talker = e.openSession("stops", new RtpSession.Listener() {
            @Override
            public void onInactive(RtpSession session, String r) { stopped.complete(r); }
        });
        talker.start((InetSocketAddress) peer.getLocalSocketAddress(), 0, G711Codec.PCMU, -1);
        sendTone(peer, talker.localRtpAddress(), 9, 0, Audio.tone(500, 400, 4_000), 20);
        assertTrue(!stopped.isDone(), "no timeout while RTP flows");
        String r2 = stopped.get(2, TimeUnit.SECONDS);
        assertTrue(r2.contains("no RTP from " + peer.getLocalSocketAddress()), r2);
        assertTrue(r2.contains("300 ms"), r2);
        assertEquals(2, e.counters().inactivityTimeouts());
        quiet.close();
        talker.close();
    }

    @Test
    void closeReleasesPortsSessionsAndClockAndSendsBye() throws Exception {
        MediaEngine e = engine(config());
        DatagramSocket[] peer = socketPair();
        DatagramSocket peerRtp = peer[0];
        DatagramSocket peerRtcp = peer[1];
        List<RtpSession> sessions = new ArrayList<>();
        for (int i = 0; i < 5; i++) sessions.add(e.openSession("c" + i, null));
        assertEquals(5, e.openSessions());
        assertEquals(5, e.ports().inUse());
        RtpSession s = sessions.get(0);
        s.start((InetSocketAddress) peerRtp.getLocalSocketAddress(), 0, G711Codec.PCMU, -1);
        assertEquals(1, e.clockedSessions());
        Thread.sleep(100);
        s.close("test over");
        DatagramPacket in = new DatagramPacket(new byte[2048], 2048);
        boolean bye = false;
        try {
            while (!bye) {
                peerRtcp.receive(in);
                ByteBuffer b = ByteBuffer.wrap(in.getData(), 0, in.getLength());
                while (b.remaining() >= 4) {
                    int pt = b.get(b.position() + 1) & 0xff;
                    int len = ((b.getShort(b.position() + 2) & 0xffff) + 1) * 4;
                    if (pt == 203 && b.getInt(b.position() + 4) == (int) s.ssrc()) bye = true;
                    b.position(b.position() + len);
                }
            }
        } catch (SocketTimeoutException none) {
            // asserted below
        }
        assertTrue(bye, "RTCP BYE for our SSRC at close");
        for (RtpSession x : sessions) x.close();
        assertTrue(s.isClosed());
        assertEquals("test over", s.closeReason());
        assertThrows(IllegalStateException.class, () -> s.start(new InetSocketAddress(LO, 4000), 0, G711Codec.PCMU, -1));
    }

    @Test
    void rtcpFromAnotherHostIsIgnoredAndTheMediaPeersByeIsHeard() throws Exception {
        MediaEngine e = engine(config());
        DatagramSocket peer = socket();
        DatagramSocket foreign = new DatagramSocket(new InetSocketAddress(InetAddress.getByName("127.0.0.2"), 0));
        toClose.add(foreign);
        CompletableFuture<Void> bye = new CompletableFuture<>();
        RtpSession s = e.openSession("bye", new RtpSession.Listener() {
            @Override
            public void onRemoteBye(RtpSession session) { bye.complete(null); }
        });
        s.start((InetSocketAddress) peer.getLocalSocketAddress(), 0, G711Codec.PCMU, -1);
        InetSocketAddress rtcp = new InetSocketAddress(LO, s.localRtpPort() + 1);
        byte[] byePacket = ByteBuffer.allocate(8).put((byte) 0x81).put((byte) 203).putShort((short) 1).putInt(0x77).array();
        send(foreign, byePacket, rtcp);
        Thread.sleep(200);
        assertEquals(1, s.stats().rtcpForeign());
        assertTrue(!bye.isDone() && !s.peerReport().bye(), "a BYE from another host is dropped");
        send(peer, byePacket, rtcp);
        bye.get(2, TimeUnit.SECONDS);
        assertTrue(s.peerReport().bye());
        s.close();
    }

    @Test
    void slowConsumerDropsItsOwnFramesWithoutAffectingAnotherSession() throws Exception {
        MediaEngine e = engine(config());
        RtpSession a = e.openSession("fast", null);
        RtpSession b = e.openSession("slow", null);
        Audio.Collector atA = new Audio.Collector();
        a.addConsumer("fast", atA);
        AtomicInteger slowCalls = new AtomicInteger();
        // The slow consumer gets a 100 ms queue; the others keep the default (1 s).
        ConsumerTap slow = b.addConsumer("slow", (pcm, n, idx) -> {
            slowCalls.incrementAndGet();
            try {
                Thread.sleep(100);
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
            }
        }, 5);
        Audio.Collector alsoAtB = new Audio.Collector();
        ConsumerTap fastAtB = b.addConsumer("recorder", alsoAtB);
        a.start(b.localRtpAddress(), 0, G711Codec.PCMU, -1);
        b.start(a.localRtpAddress(), 0, G711Codec.PCMU, -1);
        b.output().play(Audio.tone(1_000, 2_000, 8_000));
        a.output().play(Audio.tone(700, 2_000, 8_000));
        Thread.sleep(2_000);
        assertTrue(slow.dropped() > 50, "slow consumer dropped " + slow.dropped());
        assertTrue(slowCalls.get() <= 25, "slow consumer ran " + slowCalls.get());
        assertEquals(0, fastAtB.dropped(), "a fast consumer on the same session keeps up");
        assertTrue(alsoAtB.frames() >= 90, "fast consumer on the slow session got " + alsoAtB.frames());
        assertTrue(atA.frames() >= 90, "the other session's consumer got " + atA.frames());
        assertEquals(1_000, Audio.dominant(atA.loud()), 25);
        assertEquals(0, a.stats().ringFull());
        assertEquals(0, b.stats().ringFull());
        assertTrue(e.counters().droppedConsumerFull() >= slow.dropped());
        a.close();
        b.close();
    }

    @Test
    void rtcpReportsShowInducedLossAtBothEnds() throws Exception {
        MediaEngine e = engine(config().withRtcpInterval(Duration.ofMillis(400)));
        RtpSession a = e.openSession("sender", null);
        RtpSession b = e.openSession("receiver", null);
        DatagramSocket[] relay = socketPair();
        AtomicInteger dropped = new AtomicInteger();
        int[] fromA = new int[1];
        // The relay is the only path between the two: RTP a->b loses every 5th packet, everything else passes.
        Thread rtpRelay = relay(relay[0], a.localRtpPort(), b.localRtpAddress(), b.localRtpPort(), a.localRtpAddress(),
                () -> {
                    if (++fromA[0] % 5 == 0) {
                        dropped.incrementAndGet();
                        return true;
                    }
                    return false;
                });
        Thread rtcpRelay = relay(relay[1], a.localRtpPort() + 1, new InetSocketAddress(LO, b.localRtpPort() + 1),
                b.localRtpPort() + 1, new InetSocketAddress(LO, a.localRtpPort() + 1), () -> false);
        try {
            a.start((InetSocketAddress) relay[0].getLocalSocketAddress(), 0, G711Codec.PCMU, -1);
            b.start((InetSocketAddress) relay[0].getLocalSocketAddress(), 0, G711Codec.PCMU, -1);
            await("a report about a's stream", () -> a.peerReport().reports() >= 3, 5_000);
        } finally {
            rtpRelay.interrupt();
            rtcpRelay.interrupt();
            rtpRelay.join(1_000);
            rtcpRelay.join(1_000);
        }
        RtpSessionStats rb = b.stats();
        assertTrue(dropped.get() >= 5, "relay dropped " + dropped.get());
        assertTrue(Math.abs(rb.cumulativeLost() - dropped.get()) <= 1,
                "receiver counts the relay's drops: lost " + rb.cumulativeLost() + " dropped " + dropped.get());
        var peer = a.peerReport();
        assertTrue(peer.cumulativeLost() >= 2, "sender learns of the loss from RTCP: " + peer);
        assertTrue(peer.fractionLost() > 30 && peer.fractionLost() < 80, "about 20% = 51/256: " + peer);
        assertTrue(peer.rttMicros() >= 0 && peer.rttMicros() < 200_000, "round trip from LSR/DLSR: " + peer);
        assertEquals(0, a.stats().rtcpMalformed());
        assertEquals(relay[0].getLocalSocketAddress(), b.latchedSource());
        assertEquals(relay[1].getLocalSocketAddress(), a.remoteRtcpAddress(), "RTCP latched to its real source");
        a.close();
        b.close();
    }

    /** Forwards datagrams between two ports through {@code sock}; {@code dropAtoB} decides a->b losses. */
    private static Thread relay(DatagramSocket sock, int portA, InetSocketAddress toB, int portB,
                                InetSocketAddress toA, java.util.function.BooleanSupplier dropAtoB) throws Exception {
        sock.setSoTimeout(100);
        Thread t = new Thread(() -> {
            DatagramPacket p = new DatagramPacket(new byte[2048], 2048);
            while (!Thread.currentThread().isInterrupted()) {
                try {
                    sock.receive(p);
                    if (p.getPort() == portA) {
                        if (!dropAtoB.getAsBoolean()) sock.send(new DatagramPacket(p.getData(), p.getLength(), toB));
                    } else if (p.getPort() == portB) {
                        sock.send(new DatagramPacket(p.getData(), p.getLength(), toA));
                    }
                } catch (SocketTimeoutException idle) {
                    // check for interruption
                } catch (Exception closed) {
                    return;
                }
            }
        }, "test-relay-" + sock.getLocalPort());
        t.setDaemon(true);
        t.start();
        return t;
    }
}
