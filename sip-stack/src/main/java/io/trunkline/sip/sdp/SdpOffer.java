package io.trunkline.sip.sdp;

import java.util.concurrent.ThreadLocalRandom;

/**
 * The SDP offer (RFC 3264/4566) an outbound INVITE carries: one audio stream offering PCMU, PCMA and
 * telephone-event at 20 ms. Until the media module allocates real RTP ports, the caller passes the port to offer.
 */
public final class SdpOffer {
    private SdpOffer() {}

    public static String audio(String localIp, int rtpPort) {
        if (rtpPort < 1 || rtpPort > 65535) throw new IllegalArgumentException("rtpPort must be 1..65535, got " + rtpPort);
        long session = ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE);
        String ipVersion = localIp.indexOf(':') >= 0 ? "IP6" : "IP4";
        return "v=0\r\n"
                + "o=trunkline " + session + " 1 IN " + ipVersion + " " + localIp + "\r\n"
                + "s=trunkline\r\n"
                + "c=IN " + ipVersion + " " + localIp + "\r\n"
                + "t=0 0\r\n"
                + "m=audio " + rtpPort + " RTP/AVP 0 8 101\r\n"
                + "a=rtpmap:0 PCMU/8000\r\n"
                + "a=rtpmap:8 PCMA/8000\r\n"
                + "a=rtpmap:101 telephone-event/8000\r\n"
                + "a=fmtp:101 0-15\r\n"
                + "a=ptime:20\r\n"
                + "a=sendrecv\r\n";
    }
}
