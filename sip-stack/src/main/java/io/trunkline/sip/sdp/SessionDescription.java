package io.trunkline.sip.sdp;

import io.trunkline.sip.message.HeaderSafety;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A parsed SDP body (RFC 4566): the origin and the media sections. Parsing is strict about what negotiation relies
 * on (v=, o=, c= for every stream, m= ports and formats, rtpmap syntax) and ignores attributes it does not use, as
 * RFC 4566 §5.13 asks. Bodies are bounded in size and line count, since they arrive from the network.
 */
public record SessionDescription(String originUser, long sessionId, long sessionVersion, String originAddress,
                                 List<MediaDescription> media) {
    static final int MAX_BYTES = 16 * 1024;
    static final int MAX_FORMATS = 32;

    public SessionDescription {
        media = List.copyOf(media);
    }

    /** The first audio stream with a non-zero port, or null when there is none. */
    public MediaDescription audio() {
        for (MediaDescription m : media) if (m.media().equals("audio") && m.port() != 0) return m;
        return null;
    }

    public static SessionDescription parse(String body) throws SdpException {
        if (body == null || body.isBlank()) throw new SdpException(400, "SDP body is empty");
        if (body.length() > MAX_BYTES) throw new SdpException(400, "SDP body is over " + MAX_BYTES + " bytes");
        String[] lines = body.split("\r?\n");
        if (!lines[0].equals("v=0")) throw new SdpException(400, "SDP must start with v=0");
        String originUser = null;
        long sessionId = 0, version = 0;
        String originAddress = null;
        String sessionAddress = null;
        MediaDirection sessionDirection = MediaDirection.SENDRECV;
        List<MediaDescription> media = new ArrayList<>();
        Section current = null;
        for (int n = 1; n < lines.length; n++) {
            String line = lines[n];
            if (line.isEmpty()) continue;
            if (line.length() < 2 || line.charAt(1) != '=') throw new SdpException(400, "SDP line " + (n + 1) + " is not TYPE=VALUE");
            char type = line.charAt(0);
            String value = line.substring(2);
            try {
                switch (type) {
                    case 'o' -> {
                        String[] o = value.split(" ");
                        if (o.length != 6) throw new SdpException(400, "SDP o= must have 6 fields");
                        originUser = o[0];
                        sessionId = Long.parseUnsignedLong(o[1]);
                        version = Long.parseUnsignedLong(o[2]);
                        originAddress = o[5];
                    }
                    case 'c' -> {
                        String address = connectionAddress(value);
                        if (current == null) sessionAddress = address;
                        else current.address = address;
                    }
                    case 'm' -> {
                        if (current != null) media.add(current.build(sessionAddress, sessionDirection));
                        current = Section.of(value);
                    }
                    case 'a' -> {
                        if (current == null) {
                            MediaDirection d = MediaDirection.parse(value);
                            if (d != null) sessionDirection = d;
                        } else {
                            current.attribute(value);
                        }
                    }
                    default -> { /* s=, t=, b=, i=, etc.: not used for negotiation */ }
                }
            } catch (NumberFormatException e) {
                throw new SdpException(400, "SDP line " + (n + 1) + " (" + type + "=) has a bad number");
            } catch (IllegalArgumentException e) {
                throw new SdpException(400, "SDP line " + (n + 1) + ": " + e.getMessage());
            }
        }
        if (current != null) media.add(current.build(sessionAddress, sessionDirection));
        if (originUser == null) throw new SdpException(400, "SDP has no o= line");
        return new SessionDescription(originUser, sessionId, version, originAddress, media);
    }

    private static String connectionAddress(String value) throws SdpException {
        String[] c = value.split(" ");
        if (c.length != 3 || !c[0].equals("IN") || !(c[1].equals("IP4") || c[1].equals("IP6"))) {
            throw new SdpException(400, "SDP c= must be 'IN IP4|IP6 ADDRESS', got '" + printable(value) + "'");
        }
        String address = c[2];
        int slash = address.indexOf('/');
        if (slash >= 0) address = address.substring(0, slash); // multicast TTL: not used for unicast calls
        return address;
    }

    /** At most 80 characters of a peer's SDP text, made printable for an error message. */
    static String printable(String s) {
        return HeaderSafety.printable(s.substring(0, Math.min(s.length(), 80)));
    }

    /** An m= section while its attributes are being read. */
    private static final class Section {
        String media;
        int port;
        String proto;
        List<Integer> formats = new ArrayList<>();
        Map<Integer, SdpCodec> rtpmaps = new HashMap<>();
        Map<Integer, String> fmtps = new HashMap<>();
        String address;
        int ptime = -1;
        MediaDirection direction;
        int rtcpPort = -1;
        boolean rtcpMux;

        static Section of(String value) throws SdpException {
            String[] m = value.split(" ");
            if (m.length < 4) throw new SdpException(400, "SDP m= must be 'MEDIA PORT PROTO FORMAT...'");
            Section s = new Section();
            s.media = m[0].toLowerCase(Locale.ROOT);
            String port = m[1];
            int slash = port.indexOf('/');
            s.port = Integer.parseInt(slash >= 0 ? port.substring(0, slash) : port);
            if (s.port < 0 || s.port > 65535) throw new SdpException(400, "SDP m= port must be 0..65535, got " + s.port);
            s.proto = m[2];
            if (m.length - 3 > MAX_FORMATS) throw new SdpException(400, "SDP m= lists more than " + MAX_FORMATS + " formats");
            if (s.proto.contains("RTP")) {
                for (int i = 3; i < m.length; i++) {
                    int pt = Integer.parseInt(m[i]);
                    if (pt < 0 || pt > 127) throw new SdpException(400, "SDP m= payload type must be 0..127, got " + pt);
                    s.formats.add(pt);
                }
            }
            return s;
        }

        void attribute(String value) {
            int colon = value.indexOf(':');
            String name = colon < 0 ? value : value.substring(0, colon);
            String arg = colon < 0 ? "" : value.substring(colon + 1);
            switch (name) {
                case "rtpmap" -> {
                    int sp = arg.indexOf(' ');
                    if (sp < 0) throw new IllegalArgumentException("rtpmap must be 'PT NAME/RATE'");
                    int pt = Integer.parseInt(arg.substring(0, sp));
                    rtpmaps.put(pt, SdpCodec.fromRtpmap(pt, arg.substring(sp + 1)));
                }
                case "fmtp" -> {
                    int sp = arg.indexOf(' ');
                    if (sp > 0) fmtps.put(Integer.parseInt(arg.substring(0, sp)), arg.substring(sp + 1).trim());
                }
                case "ptime" -> {
                    ptime = Integer.parseInt(arg.trim());
                    if (ptime < 10 || ptime > 200) throw new IllegalArgumentException("ptime must be 10..200, got " + ptime);
                }
                case "rtcp" -> rtcpPort = Integer.parseInt(arg.trim().split(" ")[0]);
                case "rtcp-mux" -> rtcpMux = true;
                default -> {
                    MediaDirection d = MediaDirection.parse(name);
                    if (d != null) direction = d;
                }
            }
        }

        MediaDescription build(String sessionAddress, MediaDirection sessionDirection) throws SdpException {
            String effective = address != null ? address : sessionAddress;
            if (effective == null && port != 0) throw new SdpException(400, "SDP " + media + " stream has no c= address");
            List<SdpCodec> codecs = new ArrayList<>();
            for (int pt : formats) {
                SdpCodec c = rtpmaps.containsKey(pt) ? rtpmaps.get(pt) : SdpCodec.staticType(pt);
                if (c == null) continue; // a dynamic type without rtpmap cannot be used (RFC 4566 §6)
                String fmtp = fmtps.get(pt);
                codecs.add(fmtp == null ? c : new SdpCodec(c.name(), c.payloadType(), c.clockRate(), c.channels(), fmtp));
            }
            return new MediaDescription(media, port, proto, codecs, effective, ptime,
                    direction != null ? direction : sessionDirection, rtcpPort, rtcpMux);
        }
    }
}
