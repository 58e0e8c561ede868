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
