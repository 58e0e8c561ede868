package io.trunkline.sip.sdp;

/**
 * The outcome of offer/answer for the audio stream, from this side's point of view: where to send RTP and RTCP,
 * the one codec both sides use (with the payload type to put on the wire), the telephone-event payload type, at
 * the codec's clock rate (-1 when the peer did not agree to RFC 4733 at that rate), the packet time, and what this side may do ({@code direction}:
 * the peer's recvonly makes us sendonly).
 */
public record NegotiatedMedia(String remoteAddress, int remotePort, int remoteRtcpPort, SdpCodec codec,
                              int telephoneEventPt, int ptimeMs, MediaDirection direction) {

    private static final java.util.regex.Pattern IPV4 =
            java.util.regex.Pattern.compile("(25[0-5]|2[0-4][0-9]|1?[0-9]{1,2})(\\.(25[0-5]|2[0-4][0-9]|1?[0-9]{1,2})){3}");
    private static final java.util.regex.Pattern IPV6 = java.util.regex.Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");

    /**
     * Where to send RTP. Only an IP literal is accepted: a host name in c= would mean a DNS lookup on the SIP thread
     * that negotiated it, and carriers put addresses there.
     *
     * @throws SdpException 488 when the address is not an IP literal
     */
    public java.net.InetSocketAddress remoteRtp() throws SdpException {
        if (!IPV4.matcher(remoteAddress).matches() && !IPV6.matcher(remoteAddress).matches()) {
            throw new SdpException(488, "the media address must be an IP address, got '" + SessionDescription.printable(remoteAddress) + "'");
        }
        try {
            return new java.net.InetSocketAddress(java.net.InetAddress.getByName(remoteAddress), remotePort); // a literal: no lookup
        } catch (java.net.UnknownHostException e) {
            throw new SdpException(488, "the media address is not a valid IP address: '" + SessionDescription.printable(remoteAddress) + "'");
        }
    }

    /** The peer holds the call (RFC 3264 §8.4: sendonly/inactive, or the old c=0.0.0.0 form). */
    public boolean onHold() {
        return "0.0.0.0".equals(remoteAddress) || !direction.sends();
    }

    static NegotiatedMedia of(MediaDescription remote, SdpCodec codec, int telephoneEventPt, int localPtime, MediaDirection ours) {
        int rtcp = remote.rtcpMux() ? remote.port() : remote.rtcpPort() > 0 ? remote.rtcpPort() : remote.port() + 1;
        int ptime = remote.ptimeMs() > 0 ? remote.ptimeMs() : localPtime;
        return new NegotiatedMedia(remote.address(), remote.port(), rtcp, codec, telephoneEventPt, ptime, ours);
    }
}
