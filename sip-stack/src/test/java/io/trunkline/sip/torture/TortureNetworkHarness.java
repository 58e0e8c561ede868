package io.trunkline.sip.torture;

import io.trunkline.sip.transport.TransportConfig;
import io.trunkline.sip.transport.TransportType;
import io.trunkline.sip.ua.SipUserAgent;
import io.trunkline.sip.ua.UserAgentConfig;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/**
 * Runs inside a loopback-only network namespace (see {@link TortureNetworkTest}): starts a user agent, sends each
 * torture message as one datagram from a fresh socket, and prints "RESULT file status" (or "none") per message,
 * then "ALIVE status calls dialogs" for a final OPTIONS and the UA's live counts.
 */
public final class TortureNetworkHarness {
    public static void main(String[] args) throws Exception {
        try (SipUserAgent ua = SipUserAgent.start(UserAgentConfig.of(TransportConfig.loopback(0, -1).withThreads(2)))) {
            InetSocketAddress target = ua.localAddress(TransportType.UDP);
            for (TortureManifest m : TortureManifest.all()) {
                int status = exchange(m.bytes(), target, m.drop() || m.file().equals("unreason.dat") || m.file().equals("noreason.dat") ? 400 : 2000);
                System.out.println("RESULT " + m.file() + " " + (status < 0 ? "none" : status));
            }
            String options = "OPTIONS sip:probe@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:9;branch=z9hG4bK-alive\r\n"
                    + "Max-Forwards: 70\r\nFrom: <sip:t@127.0.0.1>;tag=1\r\nTo: <sip:probe@127.0.0.1>\r\nCall-ID: alive@127.0.0.1\r\n"
                    + "CSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n";
            int alive = exchange(options.getBytes(StandardCharsets.US_ASCII), target, 2000);
            System.out.println("ALIVE " + alive + " " + ua.activeCalls() + " " + ua.activeDialogs());
        }
    }

    /** Sends from a new socket, so late retransmissions of earlier answers cannot be mistaken for this one's. */
    private static int exchange(byte[] message, InetSocketAddress target, int waitMs) throws Exception {
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            s.setSoTimeout(waitMs);
            s.send(new DatagramPacket(message, message.length, target));
            DatagramPacket p = new DatagramPacket(new byte[65535], 65535);
            try {
                s.receive(p);
            } catch (SocketTimeoutException e) {
                return -1;
            }
            // read the status line only: a 400 may echo the request's own malformed Via back, unparseable by design
            String line = new String(p.getData(), 0, Math.min(p.getLength(), 64), StandardCharsets.ISO_8859_1);
            if (!line.startsWith("SIP/2.0 ")) throw new IllegalStateException("not a response: " + line);
            return Integer.parseInt(line.substring(8, 11));
        }
    }
}
