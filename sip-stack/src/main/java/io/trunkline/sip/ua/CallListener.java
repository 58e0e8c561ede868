package io.trunkline.sip.ua;

/**
 * Events of one outbound call, in order, on the call's event loop: implementations must not block (hand work off
 * to another executor). Exactly one {@link #onEnded} per call.
 */
public interface CallListener {
    default void onTrying(OutboundCall call) {}

    /** 180/183; {@code earlySdp} is the answer SDP of a 183 with early media, else null. */
    default void onRinging(OutboundCall call, int status, String earlySdp) {}

    default void onAnswered(OutboundCall call, String answerSdp) {}

    void onEnded(OutboundCall call, CallEnd end);
}
