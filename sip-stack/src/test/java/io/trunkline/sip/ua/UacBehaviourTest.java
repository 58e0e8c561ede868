package io.trunkline.sip.ua;

import gov.nist.javax.sip.message.SIPRequest;
import io.trunkline.sip.sdp.SdpOffer;
import io.trunkline.sip.transaction.SipTimers;
import io.trunkline.sip.transport.TransportConfig;
import io.trunkline.sip.transport.TransportType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** UAC behaviour per RFC 3261 §13, §17 and §9 against a peer scripted over a real UDP socket. */
class UacBehaviourTest {
    private static final long T1 = 100;
    private static final String SDP = SdpOffer.audio("127.0.0.1", 40000);
    private SipUserAgent ua;
    private ScriptedPeer peer;

    @BeforeEach
    void start() throws Exception {
        ua = SipUserAgent.start(new UserAgentConfig(TransportConfig.loopback(0, -1).withThreads(1),
                new SipTimers(T1, 4 * T1, 5 * T1), "test"));
        peer = new ScriptedPeer();
    }

    @AfterEach
    void stop() {
        ua.close();
        peer.close();
    }

    private UserAgentLoopbackTest.Recorder dial() {
        UserAgentLoopbackTest.Recorder r = new UserAgentLoopbackTest.Recorder();
        call = ua.dial(new DialRequest(new SipTarget("127.0.0.1", peer.port(), TransportType.UDP), "15550001111",
                "15550002222", SDP), r);
        return r;
    }

    private OutboundCall call;

    @Test
    void inviteIsRetransmittedOnTimerAUntilAProvisionalArrives() throws Exception {
        UserAgentLoopbackTest.Recorder events = dial();
        SIPRequest first = peer.expect("INVITE", 1000);
        long t0 = peer.lastReceivedNanos;
        SIPRequest second = peer.expect("INVITE", 1000);
        long t1 = peer.lastReceivedNanos;
        peer.expect("INVITE", 1000);
        long gap1 = (t1 - t0) / 1_000_000;
        long gap2 = (peer.lastReceivedNanos - t1) / 1_000_000;
        assertEquals(first.getTopmostVia().getBranch(), second.getTopmostVia().getBranch(), "a retransmission, not a new request");
        assertTrue(gap1 >= T1 - 20 && gap1 < 2 * T1 + 30, "timer A starts at T1: " + gap1 + " ms");
        assertTrue(gap2 >= 2 * T1 - 30 && gap2 < 3 * T1 + 30, "and doubles: " + gap2 + " ms");
        peer.respond(first, 100, "Trying", null, null);
        // drain a retransmission that may have crossed the 100, then silence
        SIPRequest late = peer.nextRequest(3 * T1);
        if (late != null) assertNull(peer.nextRequest(5 * T1), "no retransmission after a provisional");
        peer.respond(first, 200, "OK", "callee1", SDP);
        SIPRequest ack = peer.expect("ACK", 1000);
        assertNotEquals(first.getTopmostVia().getBranch(), ack.getTopmostVia().getBranch(), "2xx ACK is its own transaction");
        assertEquals("callee1", ack.getTo().getTag());
        events.answered.get(1, TimeUnit.SECONDS);
        call.hangup();
        SIPRequest bye = peer.expect("BYE", 1000);
        peer.respond(bye, 200, "OK", null, null);
        assertEquals(CallOutcome.COMPLETED, events.ended.get(2, TimeUnit.SECONDS).outcome());
    }

    @Test
    void lateProvisionalIsIgnoredAndRetransmitted2xxIsAckedAgain() throws Exception {
        UserAgentLoopbackTest.Recorder events = dial();
        SIPRequest invite = peer.expect("INVITE", 1000);
        peer.respond(invite, 200, "OK", "callee1", SDP);
        peer.expect("ACK", 1000);
        peer.respond(invite, 180, "Ringing", "callee1", null); // a proxy reordered it behind the 200
        peer.respond(invite, 200, "OK", "callee1", SDP);      // our ACK "was lost"
        SIPRequest again = peer.expect("ACK", 1000);
        assertEquals("callee1", again.getTo().getTag());
        events.answered.get(1, TimeUnit.SECONDS);
        assertFalse(events.ringing, "a 180 after the 200 is not reported");
        assertEquals(OutboundCall.State.CONFIRMED, call.state());
        call.hangup();
        peer.respond(peer.expect("BYE", 1000), 200, "OK", null, null);
        events.ended.get(2, TimeUnit.SECONDS);
    }

    @Test
    void forkedSecond2xxIsAckedThenEndedWithBye() throws Exception {
        UserAgentLoopbackTest.Recorder events = dial();
        SIPRequest invite = peer.expect("INVITE", 1000);
        peer.respond(invite, 200, "OK", "fork-a", SDP);
        assertEquals("fork-a", peer.expect("ACK", 1000).getTo().getTag());
        peer.respond(invite, 200, "OK", "fork-b", SDP);
        SIPRequest ackB = peer.expect("ACK", 1000);
        assertEquals("fork-b", ackB.getTo().getTag());
        SIPRequest byeB = peer.expect("BYE", 1000);
        assertEquals("fork-b", byeB.getTo().getTag(), "the extra dialog is ended");
        peer.respond(byeB, 200, "OK", null, null);
        assertEquals(OutboundCall.State.CONFIRMED, call.state(), "the first dialog lives on");
        call.hangup();
        SIPRequest byeA = peer.expect("BYE", 1000);
        assertEquals("fork-a", byeA.getTo().getTag());
        peer.respond(byeA, 200, "OK", null, null);
        assertEquals(CallOutcome.COMPLETED, events.ended.get(2, TimeUnit.SECONDS).outcome());
    }

    @Test
    void cancelCrossingA2xxEndsWithAckAndBye() throws Exception {
        UserAgentLoopbackTest.Recorder events = dial();
        SIPRequest invite = peer.expect("INVITE", 1000);
        peer.respond(invite, 180, "Ringing", "callee1", null);
        events.ringingFuture.get(1, TimeUnit.SECONDS);
        call.cancel();
        SIPRequest cancel = peer.expect("CANCEL", 1000);
        assertEquals(invite.getTopmostVia().getBranch(), cancel.getTopmostVia().getBranch(), "CANCEL matches the INVITE");
        peer.respond(cancel, 200, "OK", "callee1", null);
        peer.respond(invite, 200, "OK", "callee1", SDP); // the callee answered before it saw the CANCEL
        peer.expect("ACK", 1000);
        SIPRequest bye = peer.expect("BYE", 1000);
        peer.respond(bye, 200, "OK", null, null);
        CallEnd end = events.ended.get(2, TimeUnit.SECONDS);
        assertEquals(CallOutcome.CANCELED, end.outcome(), end.toString());
        assertEquals(0, ua.activeCalls());
        assertEquals(0, ua.activeDialogs());
    }

    @Test
    void non2xxFinalIsAckedInTheInviteTransactionAndRetransmissionsAbsorbed() throws Exception {
        UserAgentLoopbackTest.Recorder events = dial();
        SIPRequest invite = peer.expect("INVITE", 1000);
        peer.respond(invite, 486, "Busy Here", "callee1", null);
        SIPRequest ack = peer.expect("ACK", 1000);
        assertEquals(invite.getTopmostVia().getBranch(), ack.getTopmostVia().getBranch(), "RFC 3261 §17.1.1.3: same branch");
        assertEquals(invite.getCSeq().getSeqNumber(), ack.getCSeq().getSeqNumber());
        peer.respond(invite, 486, "Busy Here", "callee1", null);
        peer.expect("ACK", 1000);
        CallEnd end = events.ended.get(1, TimeUnit.SECONDS);
        assertEquals(CallOutcome.BUSY, end.outcome());
        assertTrue(end.remote());
    }

    /** Timer B with not one response is a silent trunk (failed), not a phone that rang out (no-answer). */
    @Test
    void noResponseAtAllFailsAsATimeoutOfTheTrunkAfterTimerB() throws Exception {
        UserAgentLoopbackTest.Recorder events = dial();
        CallEnd end = events.ended.get(64 * T1 + 2000, TimeUnit.MILLISECONDS);
        assertEquals(CallOutcome.FAILED, end.outcome());
        assertEquals("timeout: no response from trunk", end.reason());
        assertEquals(0, end.sipCode(), "no SIP status came, so none is reported");
        assertTrue(end.trunkSilent());
        assertFalse(end.remote());
        assertEquals(0, ua.activeCalls());
        assertEquals(0, ua.activeTransactions());
    }

    /** A 180 and then nothing: the phone rang and nobody answered; that is no-answer, and the trunk was not silent. */
    @Test
    void ringingWithoutAFinalResponseIsNoAnswer() throws Exception {
        UserAgentLoopbackTest.Recorder events = dial();
        peer.respond(peer.expect("INVITE", 1000), 180, "Ringing", "callee1", null);
        CallEnd end = events.ended.get(64 * T1 + 2000, TimeUnit.MILLISECONDS);
        assertEquals(CallOutcome.NO_ANSWER, end.outcome(), end.toString());
        assertEquals(408, end.sipCode());
        assertFalse(end.trunkSilent());
    }

    /** RFC 3261 §7.2: a status code is 3 digits, 1xx-6xx. "1000" is a malformed message: dropped and counted. */
    @Test
    void aStatusCodeOutside100To699IsDroppedAsMalformed() throws Exception {
        UserAgentLoopbackTest.Recorder events = dial();
        SIPRequest invite = peer.expect("INVITE", 1000);
        long malformed = ua.transport().stats().malformed();
        peer.respond(invite, 1000, "Weird", "callee1", null);
        peer.respond(invite, 99, "Too Low", "callee1", null);
        SIPRequest again = peer.expect("INVITE", 1000);
        assertEquals(invite.getTopmostVia().getBranch(), again.getTopmostVia().getBranch(),
                "still retransmitting: neither was taken as a response");
        assertFalse(events.ended.isDone(), "not ended as 'rejected 1000'");
        assertEquals(malformed + 2, ua.transport().stats().malformed());
        peer.respond(invite, 486, "Busy Here", "callee1", null);
        CallEnd end = events.ended.get(2, TimeUnit.SECONDS);
        assertEquals(CallOutcome.BUSY, end.outcome(), "the real final response decides");
        assertEquals(486, end.sipCode());
    }
}
