package io.trunkline.service.config;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * One API key: a bearer token for the HTTP API and the secret that signs the webhooks of the calls it creates.
 * Neither value is ever printed: {@link #toString()} shows only the id.
 *
 * @param id a name for the key (stored with each call, so its webhooks are signed with its secret)
 */
public record ApiKey(String id, byte[] tokenDigest, byte[] webhookSecret) {
    public static ApiKey of(String id, String token, String webhookSecret) {
        if (token == null || token.length() < 16) throw new IllegalArgumentException("must be at least 16 characters");
        return new ApiKey(id, digest(token), webhookSecret.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Compares in constant time: both sides are SHA-256 digests, so neither the token's length nor its first
     * differing byte shows in the time the comparison takes.
     */
    public boolean matches(String presented) {
        return presented != null && MessageDigest.isEqual(tokenDigest, digest(presented));
    }

    static byte[] digest(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String toString() { return "ApiKey[" + id + "]"; }
}
