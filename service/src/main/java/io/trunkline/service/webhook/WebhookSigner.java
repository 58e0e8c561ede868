package io.trunkline.service.webhook;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs webhook bodies, Stripe-style: {@code X-Trunkline-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256>} over
 * {@code "<t>.<raw body>"}. The timestamp is inside the MAC, so a captured request replayed later (or with another
 * {@code t}) fails verification. See service/WEBHOOKS.md for the receiver's recipe.
 */
public final class WebhookSigner {
    public static final String HEADER = "X-Trunkline-Signature";

    private WebhookSigner() {}

    /** The header value for {@code body} sent at {@code unixSeconds}. */
    public static String header(byte[] secret, long unixSeconds, byte[] body) {
        return "t=" + unixSeconds + ",v1=" + HexFormat.of().formatHex(mac(secret, unixSeconds, body));
    }

    /**
     * Whether {@code header} is a valid signature of {@code body} by {@code secret}, made within
     * {@code toleranceSeconds} of {@code now}. Several {@code v1=} entries are allowed (one per secret during a
     * rotation); one match is enough. Never throws on a malformed header: it is simply not valid.
     */
    public static boolean verify(byte[] secret, String header, byte[] body, Instant now, long toleranceSeconds) {
        if (secret == null || header == null || body == null) return false;
        Long t = null;
        for (String part : header.split(",")) {
            String p = part.strip();
            if (p.startsWith("t=")) {
                try { t = Long.parseLong(p.substring(2)); } catch (NumberFormatException e) { return false; }
            }
        }
        if (t == null || Math.abs(now.getEpochSecond() - t) > toleranceSeconds) return false;
        byte[] expected = HexFormat.of().formatHex(mac(secret, t, body)).getBytes(StandardCharsets.US_ASCII);
        boolean ok = false;
        for (String part : header.split(",")) {
            String p = part.strip();
            // constant-time compare, and no early exit, so timing says nothing about how much of a guess matched
            if (p.startsWith("v1=")) ok |= MessageDigest.isEqual(expected, p.substring(3).getBytes(StandardCharsets.US_ASCII));
        }
        return ok;
    }

    public static boolean verify(String secret, String header, byte[] body, Instant now, long toleranceSeconds) {
        return verify(secret == null ? null : secret.getBytes(StandardCharsets.UTF_8), header, body, now, toleranceSeconds);
    }

    private static byte[] mac(byte[] secret, long unixSeconds, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            mac.update((unixSeconds + ".").getBytes(StandardCharsets.US_ASCII));
            return mac.doFinal(body);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e); // every JDK has it
        }
    }
}
