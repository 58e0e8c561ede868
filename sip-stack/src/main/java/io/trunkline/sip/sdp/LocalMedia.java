package io.trunkline.sip.sdp;

import java.util.List;

/**
 * What this side offers or accepts for its audio stream: the RTP address and port, the audio codecs in order of
 * preference, whether RFC 4733 telephone-event is supported, the packet time and the direction.
 */
public record LocalMedia(String address, int port, List<SdpCodec> codecs, boolean telephoneEvent, int ptimeMs,
                         MediaDirection direction) {
    public LocalMedia {
        if (port < 1 || port > 65535) throw new IllegalArgumentException("rtp port must be 1..65535, got " + port);
        if (ptimeMs < 10 || ptimeMs > 200 || ptimeMs % 10 != 0) throw new IllegalArgumentException("ptime must be 10..200 in steps of 10, got " + ptimeMs);
        codecs = List.copyOf(codecs);
        if (codecs.isEmpty()) throw new IllegalArgumentException("at least one codec is required");
        for (SdpCodec c : codecs) if (c.isTelephoneEvent()) throw new IllegalArgumentException("telephone-event is not an audio codec; set telephoneEvent");
    }

    /** G.711 μ-law then A-law, with DTMF, 20 ms, send and receive: what every carrier trunk accepts. */
    public static LocalMedia g711(String address, int port) {
        return new LocalMedia(address, port, List.of(SdpCodec.PCMU, SdpCodec.PCMA), true, 20, MediaDirection.SENDRECV);
    }

    public LocalMedia withCodecs(List<SdpCodec> c) { return new LocalMedia(address, port, c, telephoneEvent, ptimeMs, direction); }

    public LocalMedia withDirection(MediaDirection d) { return new LocalMedia(address, port, codecs, telephoneEvent, ptimeMs, d); }

    /**
     * The telephone-events to offer with {@code formats}: one per audio clock rate, because RFC 4733 events share
     * the RTP timestamp line of the audio they replace (an Opus call needs telephone-event/48000). 8 kHz takes 101,
     * another rate 110, or the next dynamic type no format uses; with all 32 taken that rate gets no events.
     */
    List<SdpCodec> telephoneEventsFor(List<SdpCodec> formats) {
        if (!telephoneEvent) return List.of();
        java.util.Set<Integer> used = new java.util.HashSet<>();
        for (SdpCodec c : formats) used.add(c.payloadType());
        java.util.Map<Integer, SdpCodec> byRate = new java.util.LinkedHashMap<>();
        for (SdpCodec c : formats) {
            if (byRate.containsKey(c.clockRate())) continue;
            int preferred = c.clockRate() == 8000 ? SdpCodec.TELEPHONE_EVENT.payloadType() : 110;
            for (int i = 0; i < 32; i++) {
                int pt = 96 + (preferred - 96 + i) % 32;
                if (used.add(pt)) {
                    byRate.put(c.clockRate(), SdpCodec.telephoneEvent(pt, c.clockRate()));
                    break;
                }
            }
        }
        return List.copyOf(byRate.values());
    }

    /** Writes the SDP body (RFC 4566) for these media, as an offer or as an answer. */
    String write(long sessionId, long version, List<SdpCodec> formats, List<SdpCodec> telephoneEvents) {
        String ipVersion = address.indexOf(':') >= 0 ? "IP6" : "IP4";
        StringBuilder b = new StringBuilder(320);
        b.append("v=0\r\n")
                .append("o=trunkline ").append(sessionId).append(' ').append(version).append(" IN ").append(ipVersion).append(' ').append(address).append("\r\n")
                .append("s=trunkline\r\n")
                .append("c=IN ").append(ipVersion).append(' ').append(address).append("\r\n")
                .append("t=0 0\r\n")
                .append("m=audio ").append(port).append(" RTP/AVP");
        for (SdpCodec c : formats) b.append(' ').append(c.payloadType());
        for (SdpCodec e : telephoneEvents) b.append(' ').append(e.payloadType());
        b.append("\r\n");
        for (SdpCodec c : formats) {
            b.append("a=rtpmap:").append(c.rtpmap()).append("\r\n");
            if (c.fmtp() != null) b.append("a=fmtp:").append(c.payloadType()).append(' ').append(c.fmtp()).append("\r\n");
        }
        for (SdpCodec e : telephoneEvents) {
            b.append("a=rtpmap:").append(e.rtpmap()).append("\r\n")
                    .append("a=fmtp:").append(e.payloadType()).append(" 0-15\r\n");
        }
        b.append("a=ptime:").append(ptimeMs).append("\r\n")
                .append("a=").append(direction.attribute()).append("\r\n");
        return b.toString();
    }
}
