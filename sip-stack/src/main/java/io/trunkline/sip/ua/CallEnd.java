package io.trunkline.sip.ua;

/**
 * Why and how a call ended.
 *
 * @param outcome  the dialer outcome
 * @param sipCode  the SIP status that decided it (the final response, or 200 for a completed call; 503 for a
 *                 transport failure); 0 when no response came at all
 * @param reason   the reason phrase or a description of the local cause
 * @param remote   true when the far end ended it (its BYE or its final response), false when we did
 * @param retryAfterSeconds the final response's Retry-After (RFC 3261 §20.33), 0 when it had none
 * @param trunkSilent nothing at all came back from the trunk: the INVITE timed out without a single response, or
 *                 could not be sent. The dial edge counts these against the trunk's health and fails over; a call
 *                 that rang and was never answered is {@link CallOutcome#NO_ANSWER} instead.
 */
public record CallEnd(CallOutcome outcome, int sipCode, String reason, boolean remote, int retryAfterSeconds, boolean trunkSilent) {
    /** The reason of an INVITE that timed out (timer B) without any response. */
    public static final String NO_RESPONSE = "timeout: no response from trunk";

    public CallEnd(CallOutcome outcome, int sipCode, String reason, boolean remote, int retryAfterSeconds) {
        this(outcome, sipCode, reason, remote, retryAfterSeconds, false);
    }

    public CallEnd(CallOutcome outcome, int sipCode, String reason, boolean remote) {
        this(outcome, sipCode, reason, remote, 0, false);
    }
}
