package io.trunkline.sip.ua;

/** Events of an inbound call after the handler took it; on the call's event loop. */
public interface InboundCallListener {
    /** The ACK for our 2xx arrived: the call is established. */
    default void onConfirmed(InboundCall call) {}

    /** The caller cancelled before we answered (we have sent 487). */
    default void onCancelled(InboundCall call) {}

    /** The call is over: BYE from either side, or no ACK for our 2xx. */
    default void onEnded(InboundCall call, boolean remote, String reason) {}
}
