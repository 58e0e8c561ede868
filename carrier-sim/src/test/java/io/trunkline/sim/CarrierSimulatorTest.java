package io.trunkline.sim;

import io.trunkline.sip.auth.DigestClient;
import io.trunkline.sip.sdp.SdpOffer;
import io.trunkline.sip.transport.TransportConfig;
import io.trunkline.sip.transport.TransportType;
import io.trunkline.sip.ua.CallEnd;
import io.trunkline.sip.ua.CallListener;
import io.trunkline.sip.ua.CallOutcome;
import io.trunkline.sip.ua.DialRequest;
import io.trunkline.sip.ua.OutboundCall;
import io.trunkline.sip.ua.SipTarget;
import io.trunkline.sip.ua.SipUserAgent;
import io.trunkline.sip.ua.UserAgentConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The simulator driven by the real user agent over loopback UDP and TCP. */
class CarrierSimulatorTest {
    private SipUserAgent ua;
    private CarrierSimulator sim;

    @BeforeEach
    void startCaller() throws Exception {
        ua = SipUserAgent.start(UserAgentConfig.of(TransportConfig.loopback(0, -1).withThreads(2)));
    }

    @AfterEach
    void stop() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
        while (System.nanoTime() < deadline && ua.activeCalls() + sim.activeCalls() > 0) Thread.sleep(10);
        assertEquals(0, ua.activeCalls(), "caller calls left");
        assertEquals(0, sim.activeCalls(), "simulator calls left");
        assertEquals(0, ua.activeDialogs() + sim.userAgent().activeDialogs(), "dialogs left");
        ua.close();
        sim.close();
    }

    private void startSim(SimConfig config) throws Exception {
        sim = CarrierSimulator.start(config, TransportConfig.loopback(0, 0).withThreads(1));
    }

    private CompletableFuture<CallEnd> dial(String to, SipTarget target) {
        return dial(new DialRequest(target, "15550001111", to, SdpOffer.audio("127.0.0.1", 40002)), 50);
    }

    private CompletableFuture<CallEnd> dial(DialRequest request, long hangupAfterMs) {
        CompletableFuture<CallEnd> end = new CompletableFuture<>();
        ua.dial(request, new CallListener() {
            @Override
            public void onAnswered(OutboundCall call, String sdp) {
                ua.transactions().schedule(call.owner(), hangupAfterMs, call::hangup);
            }

            @Override
            public void onEnded(OutboundCall call, CallEnd e) { end.complete(e); }
        });
        return end;
    }

    private SipTarget udp() {
        return new SipTarget("127.0.0.1", sim.udpAddress().getPort(), TransportType.UDP);
    }

    @Test
    void perNumberBehavioursGiveTheirOutcomes() throws Exception {
        startSim(SimConfig.answerAll().withRingMs(20).withNoAnswerMs(200)
                .withNumber("15550000001", Behavior.BUSY).withNumber("15550000002", Behavior.DECLINE)
                .withNumber("15550000003", Behavior.NO_ANSWER).withNumber("15550000004", Behavior.UNAVAILABLE)
                .withNumber("15550000005", Behavior.ANSWER));
        Map<String, Integer> expected = Map.of("15550000001", 486, "15550000002", 603, "15550000003", 480,
                "15550000004", 503, "15550000005", 200);
        Map<String, CallOutcome> outcomes = Map.of("15550000001", CallOutcome.BUSY, "15550000002", CallOutcome.REJECTED,
                "15550000003", CallOutcome.NO_ANSWER, "15550000004", CallOutcome.FAILED, "15550000005", CallOutcome.COMPLETED);
        for (var e : expected.entrySet()) {
            CallEnd end = dial(e.getKey(), udp()).get(5, TimeUnit.SECONDS);
            assertEquals(outcomes.get(e.getKey()), end.outcome(), e.getKey() + ": " + end);
            assertEquals(e.getValue(), end.sipCode(), e.getKey() + ": " + end);
        }
        assertEquals(1, sim.stats().finals(503));
        assertEquals(1, sim.stats().byesReceived());
    }

    @Test
    void theInviteLogHasOneLinePerCallAsItArrives(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        startSim(SimConfig.answerAll().withNumber("15550000001", Behavior.BUSY));
        java.nio.file.Path log = dir.resolve("invites.log");
        sim.logInvitesTo(log);
        dial("15550000001", udp()).get(5, TimeUnit.SECONDS);
        dial("15550000009", udp()).get(5, TimeUnit.SECONDS);
        // on disk within milliseconds, before the simulator is closed
        long deadline = System.nanoTime() + 2_000_000_000L;
        List<String> lines = List.of();
        while (System.nanoTime() < deadline && (lines = java.nio.file.Files.readAllLines(log)).size() < 2) Thread.sleep(5);
        assertEquals(2, lines.size(), lines.toString());
        String[] first = lines.get(0).split(" ");
        assertEquals(4, first.length);
        assertTrue(Math.abs(System.currentTimeMillis() - Long.parseLong(first[0])) < 10_000);
        assertEquals("15550000001", first[2]);
        assertEquals("15550001111", first[3]);
        assertEquals("15550000009", lines.get(1).split(" ")[2]);
        assertTrue(!first[1].equals(lines.get(1).split(" ")[1]), "two calls, two Call-IDs");
    }

    @Test
    void weightedMixIsFollowed() throws Exception {
        startSim(SimConfig.answerAll().withMix(Map.of(Behavior.ANSWER, 3, Behavior.BUSY, 1)));
        Map<CallOutcome, Integer> counts = new EnumMap<>(CallOutcome.class);
        List<CompletableFuture<CallEnd>> calls = new ArrayList<>();
        for (int i = 0; i < 200; i++) calls.add(dial("1555000" + (1000 + i), udp()));
        for (var c : calls) counts.merge(c.get(10, TimeUnit.SECONDS).outcome(), 1, Integer::sum);
        int busy = counts.getOrDefault(CallOutcome.BUSY, 0);
        int completed = counts.getOrDefault(CallOutcome.COMPLETED, 0);
        assertEquals(200, busy + completed, counts.toString());
        assertTrue(busy > 25 && busy < 75, "about a quarter busy: " + counts);
    }

    @Test
    void cpsPolicerRefusesAboveTheLimitWith503() throws Exception {
        startSim(SimConfig.answerAll().withCpsLimit(5).withRetryAfter(2));
        List<CompletableFuture<CallEnd>> calls = new ArrayList<>();
        for (int i = 0; i < 20; i++) calls.add(dial("1555000" + (2000 + i), udp()));
        int ok = 0, policed = 0;
        for (var c : calls) {
            CallEnd end = c.get(10, TimeUnit.SECONDS);
            if (end.outcome() == CallOutcome.COMPLETED) ok++;
            else if (end.sipCode() == 503) policed++;
        }
        assertEquals(5, ok, "exactly the limit gets through within one second");
        assertEquals(15, policed);
        assertEquals(15, sim.stats().policed());
    }

    @Test
    void digestChallengeThenAuthenticatedCall() throws Exception {
        startSim(SimConfig.answerAll().withAuth("alice", "s3cret", "sim.test"));
        CallEnd none = dial("15550003000", udp()).get(5, TimeUnit.SECONDS);
        assertEquals(407, none.sipCode(), none.toString());
        DialRequest good = new DialRequest(udp(), "15550001111", "15550003001", SdpOffer.audio("127.0.0.1", 40002))
                .withAuth(new DigestClient("alice", "s3cret"));
        assertEquals(CallOutcome.COMPLETED, dial(good, 50).get(5, TimeUnit.SECONDS).outcome());
        DialRequest bad = new DialRequest(udp(), "15550001111", "15550003002", SdpOffer.audio("127.0.0.1", 40002))
                .withAuth(new DigestClient("alice", "wrong"));
        CallEnd rejected = dial(bad, 50).get(5, TimeUnit.SECONDS);
        assertEquals(403, rejected.sipCode(), rejected.toString());
        assertEquals(3, sim.stats().challenged());
    }

    /** After one challenge, later INVITEs carry the credentials up front (nonce reused, nc counted up): no 407s. */
    @Test
    void credentialsArePresentedPreemptivelyAfterTheFirstChallenge() throws Exception {
        startSim(SimConfig.answerAll().withAuth("alice", "s3cret", "sim.test"));
        DigestClient alice = new DigestClient("alice", "s3cret");
        for (int i = 0; i < 5; i++) {
            DialRequest r = new DialRequest(udp(), "15550001111", "1555000310" + i, SdpOffer.audio("127.0.0.1", 40002)).withAuth(alice);
            assertEquals(CallOutcome.COMPLETED, dial(r, 50).get(5, TimeUnit.SECONDS).outcome());
        }
        assertEquals(1, sim.stats().challenged(), "only the first INVITE was challenged");
        assertEquals(5, sim.stats().invites() - 1, "four pre-authorised INVITEs plus the first one's retry");
    }

    @Test
    void simulatorHangsUpAfterHoldTime() throws Exception {
        startSim(SimConfig.answerAll().withHoldMs(100));
        CallEnd end = dial(new DialRequest(udp(), "15550001111", "15550004000", SdpOffer.audio("127.0.0.1", 40002)), 10_000)
                .get(5, TimeUnit.SECONDS);
        assertEquals(CallOutcome.COMPLETED, end.outcome());
        assertTrue(end.remote(), "the simulator sent the BYE");
        assertEquals(1, sim.stats().byesSent());
    }

    @Test
    void largeInviteSwitchesToTcpUnlessTheTrunkPinsUdp() throws Exception {
        startSim(SimConfig.answerAll());
        String big = "x".repeat(1400);
        DialRequest large = new DialRequest(udp(), "15550001111", null, "15550005000", SdpOffer.audio("127.0.0.1", 40002),
                List.of(Map.entry("X-Padding", big)), null, null);
        CompletableFuture<CallEnd> end = new CompletableFuture<>();
        OutboundCall[] call = new OutboundCall[1];
        call[0] = ua.dial(large, new CallListener() {
            @Override public void onAnswered(OutboundCall c, String sdp) { c.hangup(); }
            @Override public void onEnded(OutboundCall c, CallEnd e) { end.complete(e); }
        });
        CallEnd tcpEnd = end.get(5, TimeUnit.SECONDS);
        assertEquals(CallOutcome.COMPLETED, tcpEnd.outcome(), tcpEnd.toString());
        assertEquals(TransportType.TCP, call[0].transport(), "RFC 3261 §18.1.1: over 1300 bytes goes over TCP");

        SipTarget pinned = SipTarget.parse("sip:127.0.0.1:" + sim.udpAddress().getPort() + ";transport=udp", TransportType.UDP);
        DialRequest pinnedLarge = new DialRequest(pinned, "15550001111", null, "15550005001", SdpOffer.audio("127.0.0.1", 40002),
                List.of(Map.entry("X-Padding", big)), null, null);
        CallEnd failed = dial(pinnedLarge, 50).get(5, TimeUnit.SECONDS);
        assertEquals(CallOutcome.FAILED, failed.outcome());
        assertTrue(failed.reason().contains("UDP only"), failed.reason());
    }
}
