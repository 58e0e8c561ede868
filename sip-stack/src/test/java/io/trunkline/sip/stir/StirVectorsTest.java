package io.trunkline.sip.stir;

import com.nimbusds.jose.util.JSONObjectUtils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.security.spec.X509EncodedKeySpec;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The PASSporT vectors from shared/testdata/stir-shaken (copied into test resources), as their README says. */
class StirVectorsTest {
    static Map<String, Object> vector(String name) throws Exception {
        try (InputStream in = StirVectorsTest.class.getResourceAsStream("/stir-shaken/" + name + ".json")) {
            return JSONObjectUtils.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    static PublicKey key(Map<String, Object> v) throws Exception {
        if (v.get("certificate_pem") instanceof String pem) {
            return PemKeys.parseCertificates(pem.getBytes(StandardCharsets.US_ASCII)).get(0).getPublicKey();
        }
        String pem = (String) v.get("public_key_pem");
        String b64 = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        return KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(b64)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"rfc8225-appendix-a", "rfc8225-sec7.1-full-form", "rfc8224-sec4.1.1-identity-full-and-compact",
            "rfc8224-sec5.1-compact-reconstructed", "libstirshaken-ref-sp", "libstirshaken-readme-attest-b",
            "libstirshaken-readme-jwt-check", "libstirshaken-ref-sp-wrong-cert", "derived-tampered-payload", "derived-der-signature"})
    void signatureCheckMatchesExpected(String name) throws Exception {
        Map<String, Object> v = vector(name);
        boolean expected = "valid".equals(v.get("expected"));
        PublicKey key = key(v);
        assertEquals(expected, StirVerifier.signatureMatches((String) v.get("passport_jwt"), key), name + ": " + v.get("expected_reason"));
        if (v.get("identity_header") instanceof String identity && v.get("identity_header_signature_verified") instanceof Boolean ok) {
            assertEquals(ok, StirVerifier.signatureMatches(IdentityHeader.parse(identity).jws(), key), name + " Identity header JWS");
        }
    }

    @Test
    void derSignatureSmuggledIntoAJwsIsRefusedBeforeCrypto() throws Exception {
        Map<String, Object> v = vector("derived-der-signature");
        String sig = ((String) v.get("passport_jwt")).split("\\.")[2];
        assertTrue(Base64.getUrlDecoder().decode(sig).length != 64, "the vector carries a DER signature");
        assertFalse(StirVerifier.signatureMatches((String) v.get("passport_jwt"), key(v)));
    }

    /** A carrier-grade check with the libstirshaken CA as trust anchor and the clock pinned to the vector's iat. */
    @Test
    void wellFormedShakenVectorVerifiesThroughItsChain() throws Exception {
        Map<String, Object> v = vector("libstirshaken-readme-attest-b");
        IdentityHeader identity = IdentityHeader.parse((String) v.get("identity_header"));
        Map<String, Object> header = JSONObjectUtils.parse(new String(Base64.getUrlDecoder().decode(identity.segments()[0]), StandardCharsets.UTF_8));
        Map<String, Object> claims = JSONObjectUtils.parse(new String(Base64.getUrlDecoder().decode(identity.segments()[1]), StandardCharsets.UTF_8));
        List<X509Certificate> leaf = PemKeys.parseCertificates(((String) v.get("certificate_pem")).getBytes(StandardCharsets.US_ASCII));
        List<X509Certificate> ca = PemKeys.parseCertificates(((String) v.get("ca_certificate_pem")).getBytes(StandardCharsets.US_ASCII));
        Clock atIat = Clock.fixed(Instant.ofEpochSecond(((Number) claims.get("iat")).longValue()), ZoneOffset.UTC);
        StirVerifier verifier = new StirVerifier(CertificateSource.of(Map.of((String) header.get("x5u"), leaf)),
                StirVerifier.anchors(ca), atIat, 60);
        VerificationResult ok = verifier.verify((String) v.get("identity_header"), null, null);
        assertTrue(ok.valid(), ok.toString());
        assertEquals("B", ok.claims().get("attest"));

        StirVerifier untrusted = new StirVerifier(CertificateSource.of(Map.of((String) header.get("x5u"), leaf)),
                StirVerifier.anchors(selfSignedOther()), atIat, 60);
        assertEquals(437, untrusted.verify((String) v.get("identity_header"), null, null).code(), "a chain to another root");

        StirVerifier later = new StirVerifier(CertificateSource.of(Map.of((String) header.get("x5u"), leaf)),
                StirVerifier.anchors(ca), Clock.offset(atIat, java.time.Duration.ofSeconds(61)), 60);
        assertEquals(403, later.verify((String) v.get("identity_header"), null, null).code(), "stale after 60 s");
    }

    /** Claims that sign correctly but break RFC 8225/8588 structure are flagged by the strict check (438). */
    @ParameterizedTest
    @ValueSource(strings = {"libstirshaken-ref-sp", "rfc8225-sec7.1-full-form"})
    void structurallyBadClaimsAreRejectedEvenWithAGoodSignature(String name) throws Exception {
        Map<String, Object> v = vector(name);
        String jws = (String) v.get("passport_jwt");
        Map<String, Object> header = JSONObjectUtils.parse(new String(Base64.getUrlDecoder().decode(jws.split("\\.")[0]), StandardCharsets.UTF_8));
        String x5u = (String) header.getOrDefault("x5u", "https://example.invalid/cert.pem");
        PublicKey key = key(v);
        assertTrue(StirVerifier.signatureMatches(jws, key), "the signature itself is good");
        StirVerifier verifier = new StirVerifier(x -> { throw new java.io.IOException("not fetched"); }, Set.of(), Clock.systemUTC(), 0);
        VerificationResult r = verifier.verify(jws + ";info=<" + x5u + ">", null, null);
        assertEquals(438, r.code(), name + ": " + r);
    }

    /** RFC 8588 §6 (corrected): our deterministic JSON matches the vector's canonical form byte for byte. */
    @Test
    void deterministicJsonMatchesTheRfc8588Example() throws Exception {
        Map<String, Object> v = vector("rfc8588-sec6-example");
        assertEquals(v.get("canonical_header_json"), PassportJson.header("https://cert.example.org/passport.cer"));
        Map<String, Object> claims = JSONObjectUtils.parse((String) v.get("canonical_payload_json_iat_numeric"));
        Map<?, ?> dest = (Map<?, ?>) claims.get("dest");
        String rebuilt = PassportJson.claims(Attestation.valueOf((String) claims.get("attest")),
                ((List<?>) dest.get("tn")).stream().map(Object::toString).toList(), ((Number) claims.get("iat")).longValue(),
                (String) ((Map<?, ?>) claims.get("orig")).get("tn"), (String) claims.get("origid"));
        assertEquals(v.get("canonical_payload_json_iat_numeric"), rebuilt);
    }

    private static List<X509Certificate> selfSignedOther() throws Exception {
        Map<String, Object> other = vector("libstirshaken-ref-sp-wrong-cert");
        return PemKeys.parseCertificates(((String) other.get("certificate_pem")).getBytes(StandardCharsets.US_ASCII));
    }
}
