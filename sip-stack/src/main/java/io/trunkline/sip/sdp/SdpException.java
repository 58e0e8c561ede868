package io.trunkline.sip.sdp;

/**
 * An SDP body that cannot be used. {@link #sipStatus} is the response it deserves from an answerer: 400 for a
 * malformed body, 488 (Not Acceptable Here) when it is well formed but shares no usable codec with us.
 */
public final class SdpException extends Exception {
    private final int sipStatus;

    public SdpException(int sipStatus, String message) {
        super(message);
        this.sipStatus = sipStatus;
    }

    public int sipStatus() { return sipStatus; }
}
