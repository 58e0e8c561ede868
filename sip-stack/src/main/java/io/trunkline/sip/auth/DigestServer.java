package io.trunkline.sip.auth;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;

/**
 * The challenging side of SIP digest authentication, as a carrier's edge runs it (used by the carrier simulator).
 * Nonces are stateless: a timestamp plus an HMAC of it under a per-instance secret, so nothing is stored per
 * challenge and a forged or expired nonce is recognised. qop=auth only.
 */
public final class DigestServer {
    public enum Result { OK, STALE, BAD_CREDENTIALS, MALFORMED, UNKNOWN_USER }

    private final String realm;
    private final String user;
    private final String password;
    private final String algorithm;
    private final long nonceLifetimeMillis;
    private final byte[] secret = new byte[32];

    public DigestServer(String realm, String user, String password, String algorithm, long nonceLifetimeMillis) {
        this.realm = realm;
        this.user = user;
        this.password = password;
        this.algorithm = switch (algorithm.toUpperCase(Locale.ROOT)) {
            case "MD5", "SHA-256" -> algorithm.toUpperCase(Locale.ROOT);
            default -> throw new IllegalArgumentException("algorithm must be MD5 or SHA-256, got " + algorithm);
        };
        this.nonceLifetimeMillis = nonceLifetimeMillis;
        new SecureRandom().nextBytes(secret);
    }

    /** The Proxy-Authenticate / WWW-Authenticate value for a new challenge. */
    public String challenge(boolean stale) {
        return "Digest realm=\"" + realm + "\", nonce=\"" + newNonce(System.currentTimeMillis()) + "\", qop=\"auth\", algorithm="
                + algorithm + (stale ? ", stale=true" : "");
    }

    /** Checks an Authorization / Proxy-Authorization value for this method and Request-URI. */
    public Result verify(String authorization, String method, String requestUri) {
        Map<String, String> p;
        try {
            p = DigestClient.parse(authorization);
        } catch (IllegalArgumentException e) {
            return Result.MALFORMED;
        }
        String nonce = p.get("nonce");
        String response = p.get("response");
        String uri = p.get("uri");
        String nc = p.get("nc");
        String cnonce = p.get("cnonce");
        if (nonce == null || response == null || uri == null || nc == null || cnonce == null || !"auth".equalsIgnoreCase(p.get("qop"))) {
            return Result.MALFORMED;
        }
        if (!realm.equals(p.get("realm")) || !algorithm.equalsIgnoreCase(p.getOrDefault("algorithm", "MD5"))) return Result.MALFORMED;
        if (!uri.equals(requestUri)) return Result.BAD_CREDENTIALS;
        if (!user.equals(p.get("username"))) return Result.UNKNOWN_USER;
        long issued = nonceTime(nonce);
        if (issued < 0) return Result.BAD_CREDENTIALS;
        String ha1 = DigestClient.hash(algorithm, user + ":" + realm + ":" + password);
        String ha2 = DigestClient.hash(algorithm, method + ":" + uri);
        String expected = DigestClient.hash(algorithm, ha1 + ":" + nonce + ":" + nc + ":" + cnonce + ":auth:" + ha2);
        if (!MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII), response.toLowerCase(Locale.ROOT).getBytes(StandardCharsets.US_ASCII))) {
            return Result.BAD_CREDENTIALS;
        }
        return System.currentTimeMillis() - issued > nonceLifetimeMillis ? Result.STALE : Result.OK;
    }

    private String newNonce(long now) {
        String ts = Long.toHexString(now);
        return ts + "." + mac(ts);
    }

    /** The nonce's issue time if we made it, else -1. */
    private long nonceTime(String nonce) {
        int dot = nonce.indexOf('.');
        if (dot <= 0) return -1;
        String ts = nonce.substring(0, dot);
        if (!MessageDigest.isEqual(mac(ts).getBytes(StandardCharsets.US_ASCII), nonce.substring(dot + 1).getBytes(StandardCharsets.US_ASCII))) return -1;
        try {
            return Long.parseLong(ts, 16);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private String mac(String value) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(value.getBytes(StandardCharsets.US_ASCII)), 0, 16);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String toString() {
        return "DigestServer[realm=" + realm + ", user=" + user + ", algorithm=" + algorithm + "]";
    }
}
