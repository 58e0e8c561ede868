package io.trunkline.sip.stir;

import java.util.Map;

/**
 * The verdict on one Identity header, with the RFC 8224 response a terminating carrier would send on failure:
 * 428 Use Identity Header, 436 Bad Identity Info, 437 Unsupported Credential, 438 Invalid Identity Header,
 * 403 Stale Date. {@code header} and {@code claims} are the decoded JWS parts, when they could be decoded.
 */
public record VerificationResult(boolean valid, int code, String reason, Map<String, Object> header, Map<String, Object> claims) {
    static VerificationResult ok(Map<String, Object> header, Map<String, Object> claims) {
        return new VerificationResult(true, 200, "verified", header, claims);
    }

    static VerificationResult fail(int code, String reason, Map<String, Object> header, Map<String, Object> claims) {
        return new VerificationResult(false, code, reason, header, claims);
    }

    /** The SIP reason phrase for the failure code. */
    public String phrase() {
        return switch (code) {
            case 428 -> "Use Identity Header";
            case 436 -> "Bad Identity Info";
            case 437 -> "Unsupported Credential";
            case 438 -> "Invalid Identity Header";
            case 403 -> "Stale Date";
            default -> valid ? "OK" : "Forbidden";
        };
    }
}
