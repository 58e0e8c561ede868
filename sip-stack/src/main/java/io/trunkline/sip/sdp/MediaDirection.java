package io.trunkline.sip.sdp;

/** RFC 3264 §5.1 stream direction, from the point of view of the side that wrote it. */
public enum MediaDirection {
    SENDRECV, SENDONLY, RECVONLY, INACTIVE;

    public boolean sends() { return this == SENDRECV || this == SENDONLY; }

    public boolean receives() { return this == SENDRECV || this == RECVONLY; }

    /** The direction as seen from the other side: their sendonly is our recvonly. */
    public MediaDirection reverse() {
        return switch (this) {
            case SENDONLY -> RECVONLY;
            case RECVONLY -> SENDONLY;
            default -> this;
        };
    }

    /** The answer's direction for an offer of this direction, limited by what the answerer wants to do. */
    public MediaDirection answer(MediaDirection wanted) {
        boolean send = reverse().sends() && wanted.sends();
        boolean receive = reverse().receives() && wanted.receives();
        return send && receive ? SENDRECV : send ? SENDONLY : receive ? RECVONLY : INACTIVE;
    }

    String attribute() { return name().toLowerCase(java.util.Locale.ROOT); }

    static MediaDirection parse(String attribute) {
        return switch (attribute) {
            case "sendrecv" -> SENDRECV;
            case "sendonly" -> SENDONLY;
            case "recvonly" -> RECVONLY;
            case "inactive" -> INACTIVE;
            default -> null;
        };
    }
}
