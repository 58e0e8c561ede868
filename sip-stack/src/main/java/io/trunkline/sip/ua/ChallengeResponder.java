package io.trunkline.sip.ua;

/**
 * Answers a 401/407 digest challenge. Returns the Authorization / Proxy-Authorization header value, or null when it
 * cannot (no credentials for that realm, unsupported algorithm): the call then ends with the challenge status.
 */
@FunctionalInterface
public interface ChallengeResponder {
    String respond(String challengeHeaderValue, String method, String requestUri);
}
