package io.trunkline.sip.sdp;

/**
 * The outcome of offer/answer for the audio stream, from this side's point of view: where to send RTP and RTCP,
 * the one codec both sides use (with the payload type to put on the wire), the telephone-event payload type
 * (-1 when the peer did not agree to RFC 4733), the packet time, and what this side may do ({@code direction}:
 * the peer's recvonly makes us sendonly).
 */
public record NegotiatedMedia(String remoteAddress, int remotePort, int remoteRtcpPort, SdpCodec codec,
                              int telephoneEventPt, int ptimeMs, MediaDirection direction) {

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
