package io.trunkline.sip.ua;

import io.trunkline.sip.sdp.SdpOffer;
import io.trunkline.sip.transport.TransportConfig;
import io.trunkline.sip.transport.TransportType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Two real user agents on loopback sockets: one dials, the other answers, over UDP and TCP. */
class UserAgentLoopbackTest {
    private SipUserAgent caller;
    private SipUserAgent callee;

    @BeforeEach
    void start() throws Exception {
        caller = SipUserAgent.start(UserAgentConfig.of(TransportConfig.loopback(0, -1).withThreads(2)));
        callee = SipUserAgent.start(UserAgentConfig.of(TransportConfig.loopback(0, 0).withThreads(2)));
    }

    @AfterEach
    void stop() {
        caller.close();
        callee.close();
    }

    private SipTarget calleeTarget(TransportType type) {
        return new SipTarget("127.0.0.1", callee.localAddress(type).getPort(), type);
    }

    @Test
    void answeredCallEndsWithOurByeAndLeavesNoState() throws Exception {
        callee.setInboundHandler(call -> {
            call.ring(180, null);
            call.schedule(50, () -> call.answer(SdpOffer.audio("127.0.0.1", 40000)));
        });
        for (TransportType type : TransportType.values()) {
            Recorder events = new Recorder();
            OutboundCall call = caller.dial(new DialRequest(calleeTarget(type), "15550001111", "15550002222",
                    SdpOffer.audio("127.0.0.1", 40002)), events);
            String sdp = events.answered.get(5, TimeUnit.SECONDS);
            assertNotNull(sdp, "the 200 OK carries SDP");
            assertTrue(events.ringing, "180 reported before the answer");
            call.hangup();
            CallEnd end = events.ended.get(5, TimeUnit.SECONDS);
            assertEquals(CallOutcome.COMPLETED, end.outcome(), type + ": " + end);
            assertEquals(false, end.remote());
        }
        awaitIdle();
    }

    @Test
    void aCalleeListenerThatThrowsStillLetsTheByeBeAnswered() throws Exception {
        callee.setInboundHandler(call -> {
            call.setListener(new InboundCallListener() {
                @Override
                public void onEnded(InboundCall c, boolean remote, String reason) {
                    throw new IllegalStateException("a faulty application listener");
                }
            });
            call.answer(SdpOffer.audio("127.0.0.1", 40000));
        });
        Recorder events = new Recorder();
        OutboundCall call = caller.dial(new DialRequest(calleeTarget(TransportType.UDP), "15550001111", "15550002222",
                SdpOffer.audio("127.0.0.1", 40002)), events);
        events.answered.get(5, TimeUnit.SECONDS);
        call.hangup();
        CallEnd end = events.ended.get(5, TimeUnit.SECONDS); // without the 200 the BYE would time out after 32 s
        assertEquals("hangup by us", end.reason(), end.toString());
        awaitIdle();
    }

    @Test
    void aSecondAgentIsRefusedTheUdpPortOfARunningOne() {
        int port = callee.localAddress(TransportType.UDP).getPort();
        io.trunkline.sip.transport.PortInUseException e = assertThrows(io.trunkline.sip.transport.PortInUseException.class, () ->
                SipUserAgent.start(UserAgentConfig.of(TransportConfig.loopback(port, -1).withThreads(2))));
        assertTrue(e.getMessage().contains("127.0.0.1:" + port + " is already in use"), e.getMessage());
    }

    @Test
    void busyMapsToBusyOutcome() throws Exception {
        callee.setInboundHandler(call -> call.reject(486, "Busy Here"));
        Recorder events = new Recorder();
        caller.dial(new DialRequest(calleeTarget(TransportType.UDP), "15550001111", "15550002222",
                SdpOffer.audio("127.0.0.1", 40002)), events);
        CallEnd end = events.ended.get(5, TimeUnit.SECONDS);
        assertEquals(CallOutcome.BUSY, end.outcome(), end.toString());
        assertEquals(486, end.sipCode());
        awaitIdle();
    }

    @Test
    void calleeByeEndsCallAsCompletedByRemote() throws Exception {
        callee.setInboundHandler(call -> {
            call.answer(SdpOffer.audio("127.0.0.1", 40000));
            call.schedule(100, call::hangup);
        });
        Recorder events = new Recorder();
        caller.dial(new DialRequest(calleeTarget(TransportType.UDP), "15550001111", "15550002222",
                SdpOffer.audio("127.0.0.1", 40002)), events);
        CallEnd end = events.ended.get(5, TimeUnit.SECONDS);
        assertEquals(CallOutcome.COMPLETED, end.outcome(), end.toString());
        assertTrue(end.remote());
        awaitIdle();
    }

    @Test
    void cancelBeforeAnswerGets487() throws Exception {
        callee.setInboundHandler(call -> call.ring(180, null)); // rings forever
        Recorder events = new Recorder();
        OutboundCall call = caller.dial(new DialRequest(calleeTarget(TransportType.UDP), "15550001111", "15550002222",
                SdpOffer.audio("127.0.0.1", 40002)), events);
        events.ringingFuture.get(5, TimeUnit.SECONDS);
        call.cancel();
        CallEnd end = events.ended.get(5, TimeUnit.SECONDS);
        assertEquals(CallOutcome.CANCELED, end.outcome());
        assertEquals(487, end.sipCode());
        awaitIdle();
    }

    /** Transactions linger for their absorb timers (T4 / 64*T1 over UDP), calls and dialogs must be gone at once. */
    private void awaitIdle() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() < deadline && (caller.activeCalls() + callee.activeCalls() + caller.activeDialogs() + callee.activeDialogs()) > 0) {
            Thread.sleep(10);
        }
        assertEquals(0, caller.activeCalls() + callee.activeCalls(), "calls");
        assertEquals(0, caller.activeDialogs() + callee.activeDialogs(), "dialogs");
    }

    static final class Recorder implements CallListener {
        final CompletableFuture<String> answered = new CompletableFuture<>();
        final CompletableFuture<Integer> ringingFuture = new CompletableFuture<>();
        final CompletableFuture<CallEnd> ended = new CompletableFuture<>();
        volatile boolean ringing;

        @Override
        public void onRinging(OutboundCall call, int status, String earlySdp) {
            ringing = true;
            ringingFuture.complete(status);
        }

        @Override
        public void onAnswered(OutboundCall call, String sdp) { answered.complete(sdp); }

        @Override
        public void onEnded(OutboundCall call, CallEnd end) {
            answered.complete(null);
            ended.complete(end);
        }
    }
}
