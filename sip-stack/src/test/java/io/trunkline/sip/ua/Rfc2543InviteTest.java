package io.trunkline.sip.ua;

import gov.nist.javax.sip.message.SIPMessage;
import gov.nist.javax.sip.message.SIPRequest;
import io.trunkline.sip.message.SipCodec;
import io.trunkline.sip.sdp.SdpOffer;
import io.trunkline.sip.transaction.SipTimers;
import io.trunkline.sip.transport.TransportConfig;
import io.trunkline.sip.transport.TransportType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An RFC 2543 peer's INVITE (no From tag, no branch cookie: RFC 4475 §3.3.17, inv2543.dat, with loopback addresses
 * so nothing leaves the machine), answered and never ACKed. RFC 3261 §12.1.1: a missing tag is a null tag, and the
 * dialog must still be usable; the 2xx times out, the call ends with a BYE, and nothing stays in memory.
 */
class Rfc2543InviteTest {
    private static final long T1 = 50;
    private SipUserAgent ua;
    private DatagramSocket peer;

    @BeforeEach
    void start() throws Exception {
        ua = SipUserAgent.start(new UserAgentConfig(TransportConfig.loopback(0, -1).withThreads(1),
                new SipTimers(T1, 4 * T1, 5 * T1), "test"));
        peer = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
    }

    @AfterEach
    void stop() {
        peer.close();
        ua.close();
    }

    private String inv2543() {
        int port = ua.localAddress(TransportType.UDP).getPort();
        String sdp = "v=0\r\no=mhandley 29739 7272939 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 49217 RTP/AVP 0\r\n";
        return "INVITE sip:UserB@127.0.0.1:" + port + " SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP 127.0.0.1:" + peer.getLocalPort() + "\r\n"
                + "From: <sip:+13035551111@127.0.0.1:" + peer.getLocalPort() + ";user=phone>\r\n"
                + "To: sip:+16505552222@127.0.0.1;user=phone\r\n"
                + "Call-ID: inv2543.1717@ift.client.example.com\r\n"
                + "CSeq: 56 INVITE\r\n"
                + "Content-Type: application/sdp\r\n"
                + "Content-Length: " + sdp.length() + "\r\n\r\n" + sdp;
    }

    private SIPMessage receive(long timeoutMs) throws Exception {
        peer.setSoTimeout((int) timeoutMs);
        DatagramPacket p = new DatagramPacket(new byte[65535], 65535);
        try {
            peer.receive(p);
        } catch (SocketTimeoutException e) {
            return null;
        }
        return SipCodec.parse(java.util.Arrays.copyOf(p.getData(), p.getLength()));
    }

    @Test
    void anUnackedRfc2543InviteEndsWithAByeAndLeavesNoCallDialogOrTransaction() throws Exception {
        CompletableFuture<String> ended = new CompletableFuture<>();
        ua.setInboundHandler(call -> {
            call.setListener(new InboundCallListener() {
                @Override
                public void onEnded(InboundCall c, boolean remote, String reason) {
                    ended.complete(reason);
                }
            });
            call.answer(SdpOffer.audio("127.0.0.1", 40_000));
        });
        byte[] invite = inv2543().getBytes(StandardCharsets.US_ASCII);
        peer.send(new DatagramPacket(invite, invite.length, ua.localAddress(TransportType.UDP)));
        SIPRequest bye = null;
        int oks = 0;
        long deadline = System.nanoTime() + (64 * T1 + 3000) * 1_000_000L;
        while (bye == null && System.nanoTime() < deadline) { // the 2xx and its retransmissions, then the BYE
            SIPMessage m = receive(500);
            if (m instanceof SIPRequest r && "BYE".equals(r.getMethod())) bye = r;
            else if (m != null) oks++;
        }
        assertTrue(oks >= 2, "the 2xx was retransmitted while no ACK came: " + oks);
        assertNotNull(bye, "no ACK in 64*T1: the call is ended with a BYE");
        assertNull(bye.getTo().getTag(), "the caller's tag is null, so the BYE's To has none (RFC 3261 §12.2.1.1)");
        assertNotNull(bye.getFrom().getTag());
        assertEquals("inv2543.1717@ift.client.example.com", bye.getCallId().getCallId());
        assertEquals("local BYE", ended.get(1, TimeUnit.SECONDS));
        String ok = "SIP/2.0 200 OK\r\n" + bye.getViaHeaders().encode()
                + ((gov.nist.javax.sip.header.SIPHeader) bye.getFrom()).encode()
                + ((gov.nist.javax.sip.header.SIPHeader) bye.getTo()).encode()
                + ((gov.nist.javax.sip.header.SIPHeader) bye.getCallId()).encode()
                + ((gov.nist.javax.sip.header.SIPHeader) bye.getCSeq()).encode() + "Content-Length: 0\r\n\r\n";
        byte[] okBytes = ok.getBytes(StandardCharsets.US_ASCII);
        peer.send(new DatagramPacket(okBytes, okBytes.length, ua.localAddress(TransportType.UDP)));
        long drain = System.nanoTime() + (64 * T1 + 2000) * 1_000_000L; // timer L and timer K run out
        while (ua.activeCalls() + ua.activeDialogs() + ua.activeTransactions() > 0 && System.nanoTime() < drain) Thread.sleep(20);
        assertEquals(0, ua.activeCalls(), "calls");
        assertEquals(0, ua.activeDialogs(), "dialogs");
        assertEquals(0, ua.activeTransactions(), "transactions");
    }

    /** A call's timer task that throws ends the call in the layer that owns it, instead of leaving it registered. */
    @Test
    void aTimerTaskThatThrowsEndsItsCallAndLeavesNothingBehind() throws Exception {
        CompletableFuture<String> ended = new CompletableFuture<>();
        ua.setInboundHandler(call -> {
            call.setListener(new InboundCallListener() {
                @Override
                public void onEnded(InboundCall c, boolean remote, String reason) {
                    ended.complete(reason);
                }
            });
            call.ring(180, null);
            call.schedule(100, () -> { throw new IllegalStateException("handler bug"); });
        });
        byte[] invite = inv2543().getBytes(StandardCharsets.US_ASCII);
        peer.send(new DatagramPacket(invite, invite.length, ua.localAddress(TransportType.UDP)));
        assertEquals("internal error: handler bug", ended.get(2, TimeUnit.SECONDS));
        SIPMessage last = null;
        for (SIPMessage m; (m = receive(1000)) != null; ) last = m; // 180, then the final and its retransmissions
        assertNotNull(last);
        assertEquals(500, ((gov.nist.javax.sip.message.SIPResponse) last).getStatusCode(), "the caller is told, not left waiting");
        assertEquals(0, ua.activeCalls(), "calls");
        assertEquals(0, ua.activeDialogs(), "dialogs");
        long drain = System.nanoTime() + (64 * T1 + 2000) * 1_000_000L; // timer H: the 500 is never ACKed
        while (ua.activeTransactions() > 0 && System.nanoTime() < drain) Thread.sleep(20);
        assertEquals(0, ua.activeTransactions(), "transactions");
    }
}
