package io.trunkline.sip.stir;

import com.nimbusds.jose.util.JSONObjectUtils;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Verifies an Identity header as a terminating carrier does (RFC 8224 §6.2, RFC 8588): parse, fetch the x5u
 * certificate, validate its chain against the trust anchors, check the ES256 signature (exactly 64 bytes R||S),
 * the iat freshness, the claim types, and that orig/dest match the numbers the INVITE carries.
 */
public final class StirVerifier {
    private final CertificateSource certificates;
    private final Set<TrustAnchor> anchors;
    private final Clock clock;
    private final long maxAgeSeconds;
    private final boolean checkFreshness;
    /** Leaf certificates whose chain validated, until when (ms): PKIX is the costliest step and certificates repeat. */
    private final java.util.concurrent.ConcurrentHashMap<X509Certificate, Long> validated = new java.util.concurrent.ConcurrentHashMap<>();
    private static final long VALIDATED_TTL_MILLIS = 10 * 60_000L;
    private static final int VALIDATED_MAX = 4096;

    /**
     * @param anchors       trusted roots; an empty set trusts the fetched end-entity certificate as it is (for
     *                      operator tools given a certificate to check against, never for a carrier)
     * @param maxAgeSeconds iat freshness window (RFC 8224 recommends 60 s); 0 disables the check (test vectors)
     */
    public StirVerifier(CertificateSource certificates, Set<TrustAnchor> anchors, Clock clock, long maxAgeSeconds) {
        if (maxAgeSeconds < 0 || maxAgeSeconds > 86_400) throw new IllegalArgumentException("max-age must be 0..86400 seconds, got " + maxAgeSeconds);
        this.certificates = certificates;
        this.anchors = Set.copyOf(anchors);
        this.clock = clock;
        this.maxAgeSeconds = maxAgeSeconds;
        this.checkFreshness = maxAgeSeconds > 0;
    }

    public static Set<TrustAnchor> anchors(List<X509Certificate> roots) {
        java.util.HashSet<TrustAnchor> set = new java.util.HashSet<>();
        for (X509Certificate c : roots) set.add(new TrustAnchor(c, null));
        return set;
    }

    /**
     * @param identity   the Identity header value, or null when the INVITE had none (428)
     * @param origNumber the calling number from P-Asserted-Identity or From, or null to skip the match
     * @param destNumber the called number from the To or Request-URI, or null to skip the match
     */
    public VerificationResult verify(String identity, String origNumber, String destNumber) {
        if (identity == null) return VerificationResult.fail(428, "no Identity header", null, null);
        IdentityHeader h;
        Map<String, Object> header;
        Map<String, Object> claims;
        byte[] signature;
        try {
            h = IdentityHeader.parse(identity);
            String[] seg = h.segments();
            Base64.Decoder b64 = Base64.getUrlDecoder();
            header = JSONObjectUtils.parse(new String(b64.decode(seg[0]), StandardCharsets.UTF_8));
            claims = JSONObjectUtils.parse(new String(b64.decode(seg[1]), StandardCharsets.UTF_8));
            signature = b64.decode(seg[2]);
        } catch (IllegalArgumentException | java.text.ParseException e) {
            return VerificationResult.fail(438, "malformed Identity: " + e.getMessage(), null, null);
        }
        String problem = checkShape(h, header, claims);
        if (problem != null) return VerificationResult.fail(438, problem, header, claims);
        if (signature.length != 64) {
            return VerificationResult.fail(438, "ES256 signature must be 64 bytes R||S, got " + signature.length, header, claims);
        }
        String x5u = (String) header.get("x5u");
        List<X509Certificate> chain;
        try {
            chain = certificates.fetch(x5u);
        } catch (IOException | RuntimeException e) {
            return VerificationResult.fail(436, "cannot get the certificate at x5u: " + e.getMessage(), header, claims);
        }
        if (!anchors.isEmpty()) {
            String chainProblem = validateChain(chain);
            if (chainProblem != null) return VerificationResult.fail(437, chainProblem, header, claims);
        }
        if (!signatureMatches(h.jws(), chain.get(0).getPublicKey())) {
            return VerificationResult.fail(438, "signature does not verify", header, claims);
        }
        if (checkFreshness) {
            long age = clock.instant().getEpochSecond() - ((Number) claims.get("iat")).longValue();
            if (Math.abs(age) > maxAgeSeconds) {
                return VerificationResult.fail(403, "iat is " + age + " s old (allowed " + maxAgeSeconds + " s)", header, claims);
            }
        }
        String origTn = (String) ((Map<?, ?>) claims.get("orig")).get("tn");
        List<?> destTns = (List<?>) ((Map<?, ?>) claims.get("dest")).get("tn");
        try {
            if (origNumber != null && !TelephoneNumbers.canonical("orig", origNumber).equals(origTn)) {
                return VerificationResult.fail(438, "orig.tn " + origTn + " does not match the calling number", header, claims);
            }
            if (destNumber != null && !destTns.contains(TelephoneNumbers.canonical("dest", destNumber))) {
                return VerificationResult.fail(438, "dest.tn " + destTns + " does not include the called number", header, claims);
            }
        } catch (IllegalArgumentException e) {
            return VerificationResult.fail(438, "the INVITE's number is not a telephone number: " + e.getMessage(), header, claims);
        }
        return VerificationResult.ok(header, claims);
    }

    /**
     * The ES256 check alone: the signature must be exactly 64 bytes of R||S (a DER signature smuggled into a JWS is
     * refused, though Java's default ECDSA would accept it) and verify over the ASCII "header.payload".
     */
    static boolean signatureMatches(String jws, java.security.PublicKey key) {
        String[] seg = jws.split("\\.", -1);
        if (seg.length != 3) return false;
        try {
            byte[] signature = Base64.getUrlDecoder().decode(seg[2]);
            if (signature.length != 64) return false;
            Signature s = Signature.getInstance("SHA256withECDSAinP1363Format");
            s.initVerify(key);
            s.update((seg[0] + "." + seg[1]).getBytes(StandardCharsets.US_ASCII));
            return s.verify(signature);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }

    /** RFC 8225/8588 structure: header fields, claim presence and JSON types. Returns the problem, or null. */
    private static String checkShape(IdentityHeader h, Map<String, Object> header, Map<String, Object> claims) {
        if (!"ES256".equals(header.get("alg"))) return "alg must be ES256";
        if (!"shaken".equals(header.get("ppt"))) return "ppt must be shaken";
        if (!"passport".equals(header.get("typ"))) return "typ must be passport";
        if (!(header.get("x5u") instanceof String x5u) || x5u.isEmpty()) return "x5u missing";
        if (h.info() != null && !h.info().equals(x5u)) return "info parameter differs from x5u";
        String alg = h.params().get("alg");
        if (alg != null && !alg.equals("ES256")) return "alg parameter must be ES256";
        String ppt = h.params().get("ppt");
        if (ppt != null && !ppt.replace("\"", "").equals("shaken")) return "ppt parameter must be shaken";
        if (!(claims.get("attest") instanceof String a) || !Set.of("A", "B", "C").contains(a)) return "attest must be A, B or C";
        if (!(claims.get("iat") instanceof Number)) return "iat must be a NumericDate number";
        if (!(claims.get("origid") instanceof String)) return "origid missing";
        if (!(claims.get("orig") instanceof Map<?, ?> orig) || !(orig.get("tn") instanceof String)) return "orig.tn must be a string in an object";
        if (!(claims.get("dest") instanceof Map<?, ?> dest) || !(dest.get("tn") instanceof List<?> tns) || tns.isEmpty()
                || !tns.stream().allMatch(t -> t instanceof String)) {
            return "dest.tn must be a non-empty array of strings";
        }
        return null;
    }

    private String validateChain(List<X509Certificate> chain) {
        long now = clock.millis();
        Long until = validated.get(chain.get(0));
        if (until != null && until > now && chain.get(0).getNotAfter().getTime() > now) return null;
        String problem = validateChainUncached(chain);
        if (problem == null) {
            if (validated.size() >= VALIDATED_MAX) validated.clear(); // bounded: a flood of distinct certificates starts over
            validated.put(chain.get(0), now + VALIDATED_TTL_MILLIS);
        }
        return problem;
    }

    private String validateChainUncached(List<X509Certificate> chain) {
        try {
            chain.get(0).checkValidity(java.util.Date.from(clock.instant()));
            PKIXParameters params = new PKIXParameters(anchors);
            params.setRevocationEnabled(false);
            params.setDate(java.util.Date.from(clock.instant()));
            CertPathValidator.getInstance("PKIX").validate(CertificateFactory.getInstance("X.509").generateCertPath(chain), params);
            return null;
        } catch (GeneralSecurityException e) {
            return "certificate not trusted: " + e.getMessage();
        }
    }
}
