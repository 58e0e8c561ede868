package io.trunkline.sip.auth;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DigestClientTest {
    /** RFC 2617 §3.5's worked example: the response digest printed in the RFC. */
    @Test
    void matchesRfc2617WorkedExample() {
        String ha1 = DigestClient.hash("MD5", "Mufasa:testrealm@host.com:Circle Of Life");
        String ha2 = DigestClient.hash("MD5", "GET:/dir/index.html");
        String response = DigestClient.hash("MD5", ha1 + ":dcd98b7102dd2f0e8b11d0f600bfb0c093:00000001:0a4f113b:auth:" + ha2);
        assertEquals("6629fae49393a05397450978507c4ef1", response);
    }

    /** RFC 7616 §3.9.1: the same request answered with MD5 and with SHA-256 (password per errata 4495). */
    @Test
    void matchesRfc7616ExamplesForMd5AndSha256() {
        String nonce = "7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v";
        String cnonce = "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ";
        Map<String, String> expected = Map.of("MD5", "8ca523f5e9506fed4657c9700eebdbec",
                "SHA-256", "753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1");
        expected.forEach((algorithm, response) -> {
            String ha1 = DigestClient.hash(algorithm, "Mufasa:http-auth@example.org:Circle of Life");
            String ha2 = DigestClient.hash(algorithm, "GET:/dir/index.html");
            assertEquals(response, DigestClient.hash(algorithm, ha1 + ":" + nonce + ":00000001:" + cnonce + ":auth:" + ha2), algorithm);
        });
    }

    @Test
    void serverAcceptsOnlyTheRightAnswerForEitherAlgorithm() {
        for (String algorithm : new String[] {"MD5", "SHA-256"}) {
            DigestServer server = new DigestServer("sim.test", "alice", "s3cret", algorithm, 30_000);
            String challenge = server.challenge(false);
            String uri = "sip:15550002222@127.0.0.1:5080";
            String good = new DigestClient("alice", "s3cret").respond(challenge, "INVITE", uri);
            assertEquals(DigestServer.Result.OK, server.verify(good, "INVITE", uri), algorithm);
            assertEquals(DigestServer.Result.BAD_CREDENTIALS, server.verify(new DigestClient("alice", "nope").respond(challenge, "INVITE", uri), "INVITE", uri));
            assertEquals(DigestServer.Result.BAD_CREDENTIALS, server.verify(good, "INVITE", "sip:other@127.0.0.1"), "bound to the Request-URI");
            assertEquals(DigestServer.Result.UNKNOWN_USER, server.verify(new DigestClient("mallory", "s3cret").respond(challenge, "INVITE", uri), "INVITE", uri));
            String forged = good.replaceFirst("nonce=\"[^\"]*\"", "nonce=\"18c0ffee.00112233445566778899aabbccddeeff\"");
            assertEquals(DigestServer.Result.BAD_CREDENTIALS, server.verify(forged, "INVITE", uri), "a nonce we did not issue");
            assertEquals(DigestServer.Result.MALFORMED, server.verify("Basic YWxpY2U6czNjcmV0", "INVITE", uri));
        }
        DigestServer expiring = new DigestServer("sim.test", "alice", "s3cret", "MD5", -1);
        String challenge = expiring.challenge(false);
        assertEquals(DigestServer.Result.STALE, expiring.verify(new DigestClient("alice", "s3cret").respond(challenge, "INVITE", "sip:a@b"), "INVITE", "sip:a@b"));
        assertFalse(expiring.toString().contains("s3cret"));
    }

    @Test
    void parsesKamailioChallengeAndAnswersWithQopAuth() {
        Map<String, String> p = DigestClient.parse("Digest realm=\"dialer.test\", nonce=\"Zx1a,b\", qop=\"auth\"");
        assertEquals("dialer.test", p.get("realm"));
        assertEquals("Zx1a,b", p.get("nonce"));
        String header = new DigestClient("user", "pass").respond("Digest realm=\"dialer.test\", nonce=\"abc\", qop=\"auth\"", "INVITE", "sip:1555@127.0.0.1:5070");
        assertTrue(header.startsWith("Digest username=\"user\", realm=\"dialer.test\""), header);
        assertTrue(header.contains("qop=auth, nc=00000001"), header);
        assertFalse(header.contains("pass\""), "the password is never sent");
        assertFalse(new DigestClient("user", "s3cret").toString().contains("s3cret"));
    }

    @Test
    void refusesInjectedValues() {
        assertThrows(IllegalArgumentException.class, () -> new DigestClient("us\r\ner", "p"));
        assertThrows(IllegalArgumentException.class, () -> new DigestClient("user", "p").respond("Digest realm=\"r\", nonce=\"n\"", "INVITE", "sip:a\r\nX: y"));
    }
}
