package io.trunkline.sip.stir;

import com.nimbusds.jose.util.JSONObjectUtils;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Our signer against openssl: keys and certificates made by openssl, PASSporTs made by us, verified by openssl's
 * ECDSA (and a tampered one refused there), then through our verifier with a real CA chain.
 */
class StirSignerTest {
    @TempDir
    static Path dir;
    static final String X5U = "https://cert.trunkline.test/sp.pem";

    @BeforeAll
    static void makeKeysWithOpenSsl() throws Exception {
        OpenSsl.run(dir, "ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", "sec1.pem");
        OpenSsl.run(dir, "pkcs8", "-topk8", "-nocrypt", "-in", "sec1.pem", "-out", "pkcs8.pem");
        OpenSsl.run(dir, "pkcs8", "-topk8", "-v2", "aes-256-cbc", "-passout", "pass:hunter2", "-in", "sec1.pem", "-out", "enc.pem");
        OpenSsl.run(dir, "ec", "-in", "sec1.pem", "-pubout", "-out", "pub.pem");
        OpenSsl.run(dir, "ecparam", "-name", "secp384r1", "-genkey", "-noout", "-out", "p384.pem");
        OpenSsl.run(dir, "genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", "rsa.pem");
        // a CA and an end-entity certificate issued by it
        OpenSsl.run(dir, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                "-keyout", "ca.key", "-out", "ca.pem", "-days", "30", "-subj", "/CN=Trunkline Test CA");
        OpenSsl.run(dir, "req", "-new", "-key", "pkcs8.pem", "-out", "sp.csr", "-subj", "/CN=Trunkline Test SP");
        OpenSsl.run(dir, "x509", "-req", "-in", "sp.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
                "-out", "sp.pem", "-days", "30");
    }

    static StirSigner signer(Clock clock) {
        return new StirSigner(PemKeys.readPrivateKey(dir.resolve("pkcs8.pem"), null), X5U, Attestation.A, clock);
    }

    @Test
    void openSslVerifiesOurSignatureAndRefusesATamperedToken() throws Exception {
        SignedIdentity id = signer(Clock.systemUTC()).sign("+1 (555) 010-0001", List.of("+15550100002"), Attestation.A, null);
        String jws = IdentityHeader.parse(id.headerValue()).jws();
        String[] seg = jws.split("\\.");
        Files.writeString(dir.resolve("input.txt"), seg[0] + "." + seg[1], StandardCharsets.US_ASCII);
        Files.write(dir.resolve("sig.der"), rawToDer(Base64.getUrlDecoder().decode(seg[2])));
        String out = OpenSsl.run(dir, "dgst", "-sha256", "-verify", "pub.pem", "-signature", "sig.der", "input.txt");
        assertTrue(out.contains("Verified OK"), out);

        Map<String, Object> claims = JSONObjectUtils.parse(new String(Base64.getUrlDecoder().decode(seg[1]), StandardCharsets.UTF_8));
        String tamperedPayload = Base64.getUrlEncoder().withoutPadding().encodeToString(
                new String(Base64.getUrlDecoder().decode(seg[1]), StandardCharsets.UTF_8).replace("\"attest\":\"A\"", "\"attest\":\"C\"").getBytes(StandardCharsets.UTF_8));
        assertNotEquals(seg[1], tamperedPayload);
        Files.writeString(dir.resolve("tampered.txt"), seg[0] + "." + tamperedPayload, StandardCharsets.US_ASCII);
        assertThrows(OpenSsl.OpenSslFailure.class,
                () -> OpenSsl.run(dir, "dgst", "-sha256", "-verify", "pub.pem", "-signature", "sig.der", "tampered.txt"));
        assertEquals("15550100001", ((Map<?, ?>) claims.get("orig")).get("tn"), "RFC 8588 canonical number");
    }

    @Test
    void signaturesComeFromAccpOnLinuxX86AndVerifyUnderTheJdkAndOpenSsl() throws Exception {
        // the fast provider is what runs here (linux x86_64); a silent fall back to the JDK would cost 10x per call
        StirSigner signer = signer(Clock.systemUTC());
        assertEquals("AmazonCorrettoCryptoProvider", signer.provider());
        java.security.PublicKey pub = PemKeys.readCertificates(dir.resolve("sp.pem")).get(0).getPublicKey();
        for (int i = 0; i < 50; i++) { // ECDSA's random nonce: many signatures, each one checked by both
            String[] seg = IdentityHeader.parse(signer.sign("+15550100001", List.of("+1555010" + String.format("%04d", i)), Attestation.A, null).headerValue())
                    .jws().split("\\.");
            byte[] raw = Base64.getUrlDecoder().decode(seg[2]);
            assertEquals(64, raw.length, "P1363 R||S");
            java.security.Signature jdk = java.security.Signature.getInstance("SHA256withECDSAinP1363Format", "SunEC");
            jdk.initVerify(pub);
            jdk.update((seg[0] + "." + seg[1]).getBytes(StandardCharsets.US_ASCII));
            assertTrue(jdk.verify(raw), "the JDK's SunEC verifies ACCP's signature " + i);
            if (i % 10 == 0) {
                Files.writeString(dir.resolve("in" + i + ".txt"), seg[0] + "." + seg[1], StandardCharsets.US_ASCII);
                Files.write(dir.resolve("sig" + i + ".der"), rawToDer(raw));
                assertTrue(OpenSsl.run(dir, "dgst", "-sha256", "-verify", "pub.pem", "-signature", "sig" + i + ".der", "in" + i + ".txt").contains("Verified OK"));
            }
        }
    }

    @Test
    void passportHasTheShakenShapeAndDeterministicJson() throws Exception {
        Clock at = Clock.fixed(Instant.ofEpochSecond(1_763_800_000L), ZoneOffset.UTC);
        SignedIdentity id = signer(at).sign("15550100001", List.of("15550100002"), Attestation.B, "123e4567-e89b-12d3-a456-426614174000");
        assertEquals(1_763_800_000L, id.iat());
        assertTrue(id.headerValue().endsWith(";info=<" + X5U + ">;alg=ES256;ppt=shaken"), id.headerValue());
        String[] seg = IdentityHeader.parse(id.headerValue()).segments();
        assertEquals("{\"alg\":\"ES256\",\"ppt\":\"shaken\",\"typ\":\"passport\",\"x5u\":\"" + X5U + "\"}",
                new String(Base64.getUrlDecoder().decode(seg[0]), StandardCharsets.UTF_8));
        assertEquals("{\"attest\":\"B\",\"dest\":{\"tn\":[\"15550100002\"]},\"iat\":1763800000,\"orig\":{\"tn\":\"15550100001\"},"
                + "\"origid\":\"123e4567-e89b-12d3-a456-426614174000\"}", new String(Base64.getUrlDecoder().decode(seg[1]), StandardCharsets.UTF_8));
        assertEquals(64, Base64.getUrlDecoder().decode(seg[2]).length, "raw R||S");
        SignedIdentity again = signer(at).sign("15550100001", List.of("15550100002"), Attestation.B, null);
        assertNotEquals(id.origId(), again.origId(), "a fresh origid per call");
    }

    @Test
    void ourVerifierAcceptsOurTokenThroughTheCaChainAndRejectsMismatches() throws Exception {
        List<X509Certificate> sp = PemKeys.readCertificates(dir.resolve("sp.pem"));
        List<X509Certificate> ca = PemKeys.readCertificates(dir.resolve("ca.pem"));
        StirVerifier verifier = new StirVerifier(CertificateSource.of(Map.of(X5U, sp)), StirVerifier.anchors(ca), Clock.systemUTC(), 60);
        String header = signer(Clock.systemUTC()).sign("15550100001", List.of("15550100002"), Attestation.A, null).headerValue();
        assertTrue(verifier.verify(header, "+15550100001", "15550100002").valid());
        assertEquals(438, verifier.verify(header, "15550100009", "15550100002").code(), "orig mismatch");
        assertEquals(438, verifier.verify(header, "15550100001", "15550100009").code(), "dest mismatch");
        assertEquals(428, verifier.verify(null, "15550100001", "15550100002").code());
        StirVerifier noCert = new StirVerifier(CertificateSource.of(Map.of()), StirVerifier.anchors(ca), Clock.systemUTC(), 60);
        assertEquals(436, noCert.verify(header, null, null).code());
        StirVerifier unrelated = new StirVerifier(CertificateSource.of(Map.of(X5U, sp)),
                StirVerifier.anchors(PemKeys.parseCertificates(caOf("other").getBytes(StandardCharsets.US_ASCII))), Clock.systemUTC(), 60);
        assertEquals(437, unrelated.verify(header, null, null).code());
    }

    @Test
    void keysAreReadInEveryPemFormOrRefusedWithoutLeakingThem() throws Exception {
        PrivateKey a = PemKeys.readPrivateKey(dir.resolve("sec1.pem"), null);
        PrivateKey b = PemKeys.readPrivateKey(dir.resolve("pkcs8.pem"), null);
        PrivateKey c = PemKeys.readPrivateKey(dir.resolve("enc.pem"), "hunter2".toCharArray());
        assertEquals(new BigInteger(1, b.getEncoded()), new BigInteger(1, c.getEncoded()));
        assertEquals(((java.security.interfaces.ECPrivateKey) a).getS(), ((java.security.interfaces.ECPrivateKey) b).getS());
        String secret = Files.readString(dir.resolve("pkcs8.pem"));
        for (var bad : List.<Runnable>of(
                () -> PemKeys.readPrivateKey(dir.resolve("missing.pem"), null),
                () -> PemKeys.readPrivateKey(dir.resolve("enc.pem"), null),
                () -> PemKeys.readPrivateKey(dir.resolve("enc.pem"), "wrong".toCharArray()),
                () -> PemKeys.readPrivateKey(dir.resolve("p384.pem"), null),
                () -> PemKeys.readPrivateKey(dir.resolve("rsa.pem"), null))) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, bad::run);
            assertFalse(e.getMessage().contains(secret.substring(40, 80)), "no key material in: " + e.getMessage());
        }
        assertTrue(assertThrows(IllegalArgumentException.class, () -> PemKeys.readPrivateKey(dir.resolve("enc.pem"), null))
                .getMessage().contains("encrypted and no passphrase"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> PemKeys.readPrivateKey(dir.resolve("p384.pem"), null))
                .getMessage().contains("P-256"));
        assertFalse(signer(Clock.systemUTC()).toString().contains(Base64.getEncoder().encodeToString(b.getEncoded()).substring(0, 20)));
    }

    @Test
    void attestationAboveTheConfiguredLevelAndBadNumbersAreRefusedBeforeSigning() {
        StirSigner onlyB = new StirSigner(PemKeys.readPrivateKey(dir.resolve("pkcs8.pem"), null), X5U, Attestation.B, Clock.systemUTC());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> onlyB.sign("15550100001", List.of("15550100002"), Attestation.A, null))
                .getMessage().contains("not allowed"));
        onlyB.sign("15550100001", List.of("15550100002"), Attestation.C, null);
        assertThrows(IllegalArgumentException.class, () -> onlyB.sign("555-CALL-NOW", List.of("15550100002"), Attestation.B, null));
        assertThrows(IllegalArgumentException.class, () -> onlyB.sign("15550100001", List.of("123"), Attestation.B, null));
        assertThrows(IllegalArgumentException.class, () -> new StirSigner(PemKeys.readPrivateKey(dir.resolve("pkcs8.pem"), null),
                "https://x/a>;evil", Attestation.A, Clock.systemUTC()));
    }

    private static String caOf(String name) throws Exception {
        OpenSsl.run(dir, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                "-keyout", name + ".key", "-out", name + ".pem", "-days", "30", "-subj", "/CN=" + name);
        return Files.readString(dir.resolve(name + ".pem"));
    }

    /** R||S (32+32) to the DER SEQUENCE { INTEGER r, INTEGER s } openssl expects. */
    static byte[] rawToDer(byte[] raw) {
        byte[] r = integer(java.util.Arrays.copyOfRange(raw, 0, 32));
        byte[] s = integer(java.util.Arrays.copyOfRange(raw, 32, 64));
        byte[] out = new byte[2 + r.length + s.length];
        out[0] = 0x30;
        out[1] = (byte) (r.length + s.length);
        System.arraycopy(r, 0, out, 2, r.length);
        System.arraycopy(s, 0, out, 2 + r.length, s.length);
        return out;
    }

    private static byte[] integer(byte[] unsigned) {
        byte[] v = new BigInteger(1, unsigned).toByteArray();
        byte[] out = new byte[2 + v.length];
        out[0] = 0x02;
        out[1] = (byte) v.length;
        System.arraycopy(v, 0, out, 2, v.length);
        return out;
    }
}
