package io.trunkline.sip.ua;

/**
 * Why and how a call ended.
 *
 * @param outcome  the dialer outcome
 * @param sipCode  the SIP status that decided it (the final response, or 200 for a completed call; 408 for timer B;
 *                 503 for a transport failure)
 * @param reason   the reason phrase or a description of the local cause
 * @param remote   true when the far end ended it (its BYE or its final response), false when we did
 * @param retryAfterSeconds the final response's Retry-After (RFC 3261 §20.33), 0 when it had none
 */
public record CallEnd(CallOutcome outcome, int sipCode, String reason, boolean remote, int retryAfterSeconds) {
    public CallEnd(CallOutcome outcome, int sipCode, String reason, boolean remote) {
        this(outcome, sipCode, reason, remote, 0);
    }
}
