package io.trunkline.engine;

import gov.nist.javax.sip.header.SIPHeader;
import gov.nist.javax.sip.message.SIPMessage;
import gov.nist.javax.sip.message.SIPRequest;
import io.trunkline.sip.message.SipCodec;
import io.trunkline.sip.sdp.SdpOffer;
import io.trunkline.sip.transport.TransportType;
import io.trunkline.sip.ua.SipTarget;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A carrier trunk scripted over a real UDP socket, for the misbehaviours the simulator does not show on demand: it
 * drops the first {@code dropInvites} calls' INVITEs (and their retransmissions) without a word, answers every later
 * INVITE with {@code inviteStatus} (200 OK with SDP, or any other number, even an invalid one like 1000), answers
 * BYE, and answers OPTIONS with {@code optionsStatus} (0 = never answers OPTIONS).
 */
final class ScriptedTrunk implements AutoCloseable {
    private final DatagramSocket socket = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
    private final int optionsStatus;
    private final int inviteStatus;
    private final AtomicInteger toDrop;
    private final Set<String> dropped = ConcurrentHashMap.newKeySet();
    private final Set<String> answered = ConcurrentHashMap.newKeySet();
    final AtomicInteger options = new AtomicInteger();
    private final Thread reader;

    ScriptedTrunk(int dropInvites, int optionsStatus) throws SocketException {
        this(dropInvites, optionsStatus, 200);
    }

    ScriptedTrunk(int dropInvites, int optionsStatus, int inviteStatus) throws SocketException {
        this.inviteStatus = inviteStatus;
        this.toDrop = new AtomicInteger(dropInvites);
        this.optionsStatus = optionsStatus;
        this.reader = new Thread(this::run, "scripted-trunk");
        reader.setDaemon(true);
        reader.start();
    }

    SipTarget target() { return new SipTarget("127.0.0.1", socket.getLocalPort(), TransportType.UDP); }

    /** Calls whose INVITE arrived (dropped or answered), counted once each. */
    int invites() { return dropped.size() + answered.size(); }

    int droppedCalls() { return dropped.size(); }

    int answeredCalls() { return answered.size(); }

    private void run() {
        byte[] buf = new byte[65_535];
        while (!socket.isClosed()) {
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            try {
                socket.receive(p);
                SIPMessage m = SipCodec.parse(java.util.Arrays.copyOf(p.getData(), p.getLength()));
                if (m instanceof SIPRequest r) onRequest(r, (InetSocketAddress) p.getSocketAddress());
            } catch (SocketException closed) {
                return;
            } catch (Exception e) {
                // a test peer: anything unparseable is simply not answered
            }
        }
    }

    private void onRequest(SIPRequest r, InetSocketAddress from) throws Exception {
        String callId = r.getCallId().getCallId();
        switch (r.getMethod()) {
            case "INVITE" -> {
                if (dropped.contains(callId)) return; // its retransmissions go unanswered too
                if (!answered.contains(callId)) {
                    if (toDrop.getAndDecrement() > 0) {
                        dropped.add(callId);
                        return;
                    }
                    answered.add(callId);
                }
                if (inviteStatus == 200) respond(r, 200, "OK", SdpOffer.audio("127.0.0.1", 40_002), from);
                else respond(r, inviteStatus, "Scripted", null, from);
            }
            case "OPTIONS" -> {
                options.incrementAndGet();
                if (optionsStatus != 0) respond(r, optionsStatus, "Scripted", null, from);
            }
            case "BYE", "CANCEL" -> respond(r, 200, "OK", null, from);
            default -> { } // ACK
        }
    }

    private void respond(SIPRequest request, int status, String reason, String body, InetSocketAddress to) throws Exception {
        StringBuilder sb = new StringBuilder("SIP/2.0 ").append(status).append(' ').append(reason).append("\r\n");
        sb.append(request.getViaHeaders().encode());
        sb.append(((SIPHeader) request.getFrom()).encode());
        String toHeader = ((SIPHeader) request.getTo()).encode().trim();
        if (request.getTo().getTag() == null) toHeader += ";tag=scripted";
        sb.append(toHeader).append("\r\n");
        sb.append(((SIPHeader) request.getCallId()).encode());
        sb.append(((SIPHeader) request.getCSeq()).encode());
        if (status == 200 && "INVITE".equals(request.getMethod())) {
            sb.append("Contact: <sip:trunk@127.0.0.1:").append(socket.getLocalPort()).append(">\r\n");
        }
        byte[] content = body == null ? new byte[0] : body.getBytes(StandardCharsets.US_ASCII);
        if (body != null) sb.append("Content-Type: application/sdp\r\n");
        sb.append("Content-Length: ").append(content.length).append("\r\n\r\n");
        byte[] head = sb.toString().getBytes(StandardCharsets.US_ASCII);
        byte[] all = java.util.Arrays.copyOf(head, head.length + content.length);
        System.arraycopy(content, 0, all, head.length, content.length);
        socket.send(new DatagramPacket(all, all.length, to));
    }

    @Override
    public void close() {
        socket.close();
    }
}
