package io.trunkline.sip.stir;

/**
 * One signed PASSporT, as it goes into an INVITE.
 *
 * @param headerValue the full-form Identity header value (RFC 8224 §4.1)
 * @param iat         the issued-at time in seconds, which the INVITE's Date header must match
 * @param origId      the origid claim
 */
public record SignedIdentity(String headerValue, long iat, String origId) {}
