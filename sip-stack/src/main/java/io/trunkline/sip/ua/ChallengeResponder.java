package io.trunkline.sip.ua;

/**
 * Answers a 401/407 digest challenge. Returns the Authorization / Proxy-Authorization header value, or null when it
 * cannot (no credentials for that realm, unsupported algorithm): the call then ends with the challenge status.
 */
@FunctionalInterface
public interface ChallengeResponder {
    String respond(String challengeHeaderValue, String method, String requestUri);

    /** As above, told whether the challenge came in a 407 (a proxy's) or a 401, so the answer can be reused. */
    default String respond(String challengeHeaderValue, boolean proxy, String method, String requestUri) {
        return respond(challengeHeaderValue, method, requestUri);
    }

    /**
     * Credentials for a new request before any challenge: the last challenge's nonce with the next nonce count
     * (RFC 7616 §3.4), so a trunk that challenges every INVITE costs one round trip per nonce lifetime instead of one
     * per call. Null when there is nothing to reuse. A server that no longer accepts the nonce challenges again
     * (stale=true), which the normal retry answers.
     */
    default Credentials preemptive(String method, String requestUri) { return null; }

    /** A header to add: {@code Authorization} or {@code Proxy-Authorization}, and its value. */
    record Credentials(String header, String value) {}
}
