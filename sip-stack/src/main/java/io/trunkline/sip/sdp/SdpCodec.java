package io.trunkline.sip.sdp;

import java.util.Locale;

/**
 * One payload format of an audio stream: an rtpmap entry (RFC 4566 §6, RFC 3551) and its fmtp parameters.
 * Static types (0 PCMU, 8 PCMA) may appear without an rtpmap; dynamic ones (96-127) are matched by name and clock
 * rate, never by number, because each side picks its own numbers.
 */
public record SdpCodec(String name, int payloadType, int clockRate, int channels, String fmtp) {
    public static final SdpCodec PCMU = new SdpCodec("PCMU", 0, 8000, 1, null);
    public static final SdpCodec PCMA = new SdpCodec("PCMA", 8, 8000, 1, null);
    /** RFC 7587: always opus/48000/2 in SDP, whatever the actual channel count. */
    public static final SdpCodec OPUS = new SdpCodec("opus", 111, 48000, 2, "minptime=10;useinbandfec=1");
    public static final SdpCodec TELEPHONE_EVENT = new SdpCodec("telephone-event", 101, 8000, 1, "0-15");

    public SdpCodec {
        if (payloadType < 0 || payloadType > 127) throw new IllegalArgumentException("payload type must be 0..127, got " + payloadType);
        if (clockRate <= 0) throw new IllegalArgumentException("clock rate must be positive, got " + clockRate);
    }

    public boolean isTelephoneEvent() { return name.equalsIgnoreCase("telephone-event"); }

    /** RFC 4733 telephone-event at {@code clockRate} with payload type {@code pt}, events 0-15 (the DTMF digits). */
    public static SdpCodec telephoneEvent(int pt, int clockRate) {
        return new SdpCodec("telephone-event", pt, clockRate, 1, "0-15");
    }

    /** Same format: by number for static payload types, else by encoding name and clock rate. */
    public boolean sameFormat(SdpCodec other) {
        if (payloadType < 96 && other.payloadType < 96) return payloadType == other.payloadType;
        return name.equalsIgnoreCase(other.name) && clockRate == other.clockRate;
    }

    public SdpCodec withPayloadType(int pt) { return new SdpCodec(name, pt, clockRate, channels, fmtp); }

    String rtpmap() {
        return payloadType + " " + name + "/" + clockRate + (channels > 1 ? "/" + channels : "");
    }

    /** The static assignments of RFC 3551 that a peer may use without an rtpmap line. */
    static SdpCodec staticType(int pt) {
        return switch (pt) {
            case 0 -> PCMU;
            case 8 -> PCMA;
            case 9 -> new SdpCodec("G722", 9, 8000, 1, null);
            case 18 -> new SdpCodec("G729", 18, 8000, 1, null);
            default -> null;
        };
    }

    static SdpCodec fromRtpmap(int pt, String value) {
        String[] p = value.trim().split("/");
        if (p.length < 2) throw new IllegalArgumentException("rtpmap must be NAME/RATE[/CHANNELS], got '" + value + "'");
        int rate = Integer.parseInt(p[1].trim());
        int channels = p.length > 2 ? Integer.parseInt(p[2].trim()) : 1;
        String name = p[0].trim();
        // Canonical spelling for the names we negotiate, so that comparisons and the codec registry agree.
        String lower = name.toLowerCase(Locale.ROOT);
        if (lower.equals("pcmu") || lower.equals("pcma")) name = name.toUpperCase(Locale.ROOT);
        else if (lower.equals("opus") || lower.equals("telephone-event")) name = lower;
        return new SdpCodec(name, pt, rate, channels, null);
    }
}
