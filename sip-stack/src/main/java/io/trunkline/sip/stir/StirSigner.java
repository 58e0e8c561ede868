package io.trunkline.sip.stir;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

/**
 * Signs SHAKEN PASSporTs (RFC 8225, RFC 8588) and renders the full-form Identity header (RFC 8224 §4.1). A signature
 * is made per call immediately before the INVITE leaves, so iat is fresh for every attempt, retry and failover.
 * The key never appears in {@link #toString()} or in any message.
 */
public final class StirSigner {
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    private final PrivateKey key;
    private final String x5u;
    private final Attestation strongestAllowed;
    private final Clock clock;
    private final String encodedHeader;
    private final String info;
    private final ThreadLocal<Signature> signatures;

    /**
     * @param strongestAllowed the strongest level this key may attest (A allows A, B and C; C allows only C)
     */
    public StirSigner(PrivateKey key, String x5u, Attestation strongestAllowed, Clock clock) {
        this.key = key;
        this.x5u = requireHttpsUrl(x5u);
        this.strongestAllowed = strongestAllowed;
        this.clock = clock;
        this.encodedHeader = B64.encodeToString(PassportJson.header(this.x5u).getBytes(StandardCharsets.UTF_8));
        this.info = ";info=<" + this.x5u + ">;alg=ES256;ppt=shaken";
        this.signatures = ThreadLocal.withInitial(() -> Es256Signatures.forSigning(key));
        signatures.get(); // fail at configuration time, not on the first call
    }

    /** The JCA provider that signs on this thread (ACCP where it loads, the JDK's otherwise). */
    public String provider() { return signatures.get().getProvider().getName(); }

    public String x5u() { return x5u; }

    public Attestation strongestAllowed() { return strongestAllowed; }

    /** Signs for one call; a null {@code origId} gets a fresh UUID. Refuses an attestation stronger than allowed. */
    public SignedIdentity sign(String origNumber, List<String> destNumbers, Attestation attest, String origId) {
        if (!attest.atMost(strongestAllowed)) {
            throw new IllegalArgumentException("attest " + attest + " is not allowed for this key (at most " + strongestAllowed + ")");
        }
        if (destNumbers == null || destNumbers.isEmpty()) throw new IllegalArgumentException("dest needs at least one number");
        String orig = TelephoneNumbers.canonical("orig", origNumber);
        List<String> dest = destNumbers.stream().map(d -> TelephoneNumbers.canonical("dest", d)).toList();
        String id = origId == null ? UUID.randomUUID().toString() : UUID.fromString(origId).toString();
        long iat = clock.instant().getEpochSecond();
        String payload = B64.encodeToString(PassportJson.claims(attest, dest, iat, orig, id).getBytes(StandardCharsets.UTF_8));
        String signingInput = encodedHeader + "." + payload;
        byte[] signature;
        try {
            Signature s = signatures.get();
            s.update(signingInput.getBytes(StandardCharsets.US_ASCII));
            signature = s.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("ES256 signing failed: " + e.getClass().getSimpleName());
        }
        return new SignedIdentity(signingInput + "." + B64.encodeToString(signature) + info, iat, id);
    }

    static String requireHttpsUrl(String x5u) {
        if (x5u == null || !(x5u.startsWith("https://") || x5u.startsWith("http://"))) {
            throw new IllegalArgumentException("x5u must be an http(s) URL of the certificate, got '" + x5u + "'");
        }
        for (char c : x5u.toCharArray()) {
            if (c <= 0x20 || c >= 0x7f || c == '<' || c == '>' || c == '"') {
                throw new IllegalArgumentException("x5u has a character not allowed in a URL header parameter");
            }
        }
        return x5u;
    }

    @Override
    public String toString() {
        return "StirSigner[x5u=" + x5u + ", attest<=" + strongestAllowed + ", key=" + key.getAlgorithm() + " (hidden)]";
    }
}
