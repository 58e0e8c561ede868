package io.trunkline.sip.ua;

import gov.nist.javax.sip.message.SIPMessage;
import gov.nist.javax.sip.message.SIPRequest;
import io.trunkline.sip.message.SipCodec;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/**
 * A SIP peer scripted byte by byte over a real UDP socket, for the UAC behaviours no well-behaved peer shows on
 * demand: silence, reordered provisionals, retransmitted and forked 2xx, the CANCEL/2xx race.
 */
final class ScriptedPeer implements AutoCloseable {
    final DatagramSocket socket;
    private InetSocketAddress lastSender;
    /** When the last datagram arrived (before parsing, so parse time does not skew timer measurements). */
    long lastReceivedNanos;

    ScriptedPeer() throws Exception {
        socket = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
    }

    int port() { return socket.getLocalPort(); }

    /** The next request (responses are skipped), or null after {@code timeoutMs}. */
    SIPRequest nextRequest(long timeoutMs) throws Exception {
        long deadline = System.currentTimeMillis() + timeoutMs;
        while (true) {
            long left = deadline - System.currentTimeMillis();
            if (left <= 0) return null;
            socket.setSoTimeout((int) left);
            DatagramPacket p = new DatagramPacket(new byte[65535], 65535);
            try {
                socket.receive(p);
            } catch (SocketTimeoutException e) {
                return null;
            }
            lastReceivedNanos = System.nanoTime();
            lastSender = (InetSocketAddress) p.getSocketAddress();
            SIPMessage m = SipCodec.parse(java.util.Arrays.copyOf(p.getData(), p.getLength()));
            if (m instanceof SIPRequest r) return r;
        }
    }

    SIPRequest expect(String method, long timeoutMs) throws Exception {
        SIPRequest r = nextRequest(timeoutMs);
        if (r == null) throw new AssertionError("no " + method + " within " + timeoutMs + " ms");
        if (!method.equals(r.getMethod())) throw new AssertionError("expected " + method + ", got " + r.getFirstLine());
        return r;
    }

    /** Sends a response to {@code request}, copying its Via, From, To (adding {@code toTag}), Call-ID and CSeq. */
    void respond(SIPRequest request, int status, String reason, String toTag, String body) throws Exception {
        StringBuilder sb = new StringBuilder("SIP/2.0 ").append(status).append(' ').append(reason).append("\r\n");
        sb.append(request.getViaHeaders().encode());
        sb.append(((gov.nist.javax.sip.header.SIPHeader) request.getFrom()).encode());
        String to = ((gov.nist.javax.sip.header.SIPHeader) request.getTo()).encode().trim();
        if (toTag != null && request.getTo().getTag() == null) to += ";tag=" + toTag;
        sb.append(to).append("\r\n");
        sb.append(((gov.nist.javax.sip.header.SIPHeader) request.getCallId()).encode());
        sb.append(((gov.nist.javax.sip.header.SIPHeader) request.getCSeq()).encode());
        if (status < 300 && status > 100) sb.append("Contact: <sip:peer@127.0.0.1:").append(port()).append(">\r\n");
        byte[] content = body == null ? new byte[0] : body.getBytes(StandardCharsets.US_ASCII);
        if (body != null) sb.append("Content-Type: application/sdp\r\n");
        sb.append("Content-Length: ").append(content.length).append("\r\n\r\n");
        byte[] head = sb.toString().getBytes(StandardCharsets.US_ASCII);
        byte[] all = java.util.Arrays.copyOf(head, head.length + content.length);
        System.arraycopy(content, 0, all, head.length, content.length);
        socket.send(new DatagramPacket(all, all.length, lastSender));
    }

    @Override
    public void close() {
        socket.close();
    }
}
