package io.trunkline.sip.ua;

import io.trunkline.sip.transport.TransportConfig;
import io.trunkline.sip.transport.TransportType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** RFC 3261 §8.2 / §17.2 server behaviour, driven by raw datagrams over a real socket. */
class UasBehaviourTest {
    private SipUserAgent ua;
    private DatagramSocket client;

    @BeforeEach
    void start() throws Exception {
        ua = SipUserAgent.start(UserAgentConfig.of(TransportConfig.loopback(0, -1).withThreads(1)));
        client = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
        client.setSoTimeout(2000);
    }

    @AfterEach
    void stop() {
        client.close();
        ua.close();
    }

    private String request(String method, String branch, String extra) {
        int port = ua.localAddress(TransportType.UDP).getPort();
        return method + " sip:1555@127.0.0.1:" + port + " SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP 192.0.2.7:5060;branch=" + branch + ";rport\r\n"
                + "Max-Forwards: 70\r\nFrom: <sip:caller@192.0.2.7>;tag=f1\r\nTo: <sip:1555@127.0.0.1>\r\n"
                + "Call-ID: " + branch + "@192.0.2.7\r\nCSeq: 1 " + method + "\r\n" + extra + "Content-Length: 0\r\n\r\n";
    }

    private byte[] exchange(String message) throws Exception {
        byte[] b = message.getBytes(StandardCharsets.US_ASCII);
        client.send(new DatagramPacket(b, b.length, ua.localAddress(TransportType.UDP)));
        DatagramPacket p = new DatagramPacket(new byte[65535], 65535);
        client.receive(p);
        return java.util.Arrays.copyOf(p.getData(), p.getLength());
    }

    @Test
    void retransmittedRequestGetsTheSameResponseAndReachesTheUserOnce() throws Exception {
        AtomicInteger invites = new AtomicInteger();
        ua.setInboundHandler(call -> {
            invites.incrementAndGet();
            call.reject(486, "Busy Here");
        });
        String invite = request("INVITE", "z9hG4bK-retx1", "Contact: <sip:caller@192.0.2.7>\r\n");
        byte[] first = exchange(invite);
        byte[] again = exchange(invite);
        assertArrayEquals(first, again, "the server transaction re-sends its response byte for byte");
        assertEquals(1, invites.get(), "the retransmission is absorbed below the application");
        String text = new String(first, StandardCharsets.US_ASCII);
        assertTrue(text.startsWith("SIP/2.0 486"), text);
        assertTrue(text.contains("received=127.0.0.1") && text.contains("rport=" + client.getLocalPort()),
                "RFC 3261 §18.2.1 / RFC 3581: where it really came from: " + text);
    }

    @Test
    void optionsGets200WithAllowAndUnknownMethod501() throws Exception {
        String ok = new String(exchange(request("OPTIONS", "z9hG4bK-opt1", "")), StandardCharsets.US_ASCII);
        assertTrue(ok.startsWith("SIP/2.0 200"), ok);
        assertTrue(ok.replace(" ", "").contains("Allow:INVITE,ACK,CANCEL,BYE,OPTIONS"), ok);
        String unknown = new String(exchange(request("FROBNICATE", "z9hG4bK-unk1", "")), StandardCharsets.US_ASCII);
        assertTrue(unknown.startsWith("SIP/2.0 501"), unknown);
        String require = new String(exchange(request("OPTIONS", "z9hG4bK-req1", "Require: 100rel, foo\r\n")), StandardCharsets.US_ASCII);
        assertTrue(require.startsWith("SIP/2.0 420") && require.replace(" ", "").contains("Unsupported:100rel,foo"), require);
    }

    @Test
    void inviteWithoutAHandlerIsRefusedCleanlyAndHoldsNoCall() throws Exception {
        String r = new String(exchange(request("INVITE", "z9hG4bK-inv1", "Contact: <sip:caller@192.0.2.7>\r\n")), StandardCharsets.US_ASCII);
        assertTrue(r.startsWith("SIP/2.0 404"), r);
        assertEquals(0, ua.activeCalls());
    }

    @Test
    void garbageIsDroppedOrAnswered400AndTheStackKeepsServing() throws Exception {
        byte[] junk = new byte[512];
        new java.util.Random(7).nextBytes(junk);
        client.send(new DatagramPacket(junk, junk.length, ua.localAddress(TransportType.UDP)));
        String bad = new String(exchange("INVITE sip:x@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/UDP 192.0.2.7;branch=z9hG4bK-b1\r\n"
                + "Content-Length: 9999\r\n\r\n"), StandardCharsets.US_ASCII);
        assertTrue(bad.startsWith("SIP/2.0 400"), bad);
        assertTrue(ua.transport().stats().malformed() >= 2, "both counted");
        String ok = new String(exchange(request("OPTIONS", "z9hG4bK-opt2", "")), StandardCharsets.US_ASCII);
        assertTrue(ok.startsWith("SIP/2.0 200"), ok);
        assertEquals(0, ua.transactions().serverCount() - 1, "only the OPTIONS holds a (lingering) transaction");
    }
}
