package io.trunkline.sip.ua;

/**
 * Signs each INVITE attempt (STIR/SHAKEN, RFC 8224). Called immediately before every INVITE goes out, the first and
 * every retry, so the PASSporT's iat and the Date header are always fresh.
 */
@FunctionalInterface
public interface IdentityProvider {
    /** @return the Identity header value and the iat (seconds) it carries; the Date header is set to match */
    Identity sign(String callingUser, String calledUser);

    record Identity(String headerValue, long iatSeconds) {}
}
