package io.trunkline.sip.sdp;

import java.util.List;

/**
 * One m= section as parsed. {@code address} is the effective connection address (media-level c= or else the
 * session's); {@code codecs} lists the formats in the order the m= line gives them, which is the sender's preference.
 *
 * @param rtcpPort RFC 3605 a=rtcp port, or -1 when absent (then RTP port + 1)
 */
public record MediaDescription(String media, int port, String proto, List<SdpCodec> codecs, String address,
                               int ptimeMs, MediaDirection direction, int rtcpPort, boolean rtcpMux) {
    public MediaDescription {
        codecs = List.copyOf(codecs);
    }

    /** RFC 3264 §8.4: an old-style hold puts 0.0.0.0 in c=; RFC 3264 §6 a rejected stream has port 0. */
    public boolean onHold() {
        return "0.0.0.0".equals(address) || direction == MediaDirection.SENDONLY || direction == MediaDirection.INACTIVE;
    }
}
