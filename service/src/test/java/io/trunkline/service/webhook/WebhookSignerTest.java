package io.trunkline.service.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class WebhookSignerTest {
    private static final byte[] SECRET = "whsec_signer_test".getBytes(StandardCharsets.UTF_8);
    private static final byte[] BODY = "{\"event\":\"answered\",\"sequence_number\":2,\"call_id\":\"c1\"}".getBytes(StandardCharsets.UTF_8);
    private static final long T = 1_800_000_000L;
    private static final Instant NOW = Instant.ofEpochSecond(T + 10);

    @Test
    void headerHasTimestampAndLowercaseHexThatOpensslAgreesWith() throws Exception {
        String header = WebhookSigner.header(SECRET, T, BODY);
        assertTrue(header.matches("t=" + T + ",v1=[0-9a-f]{64}"), header);
        String expected = OpensslHmac.hex(SECRET, (T + ".").getBytes(StandardCharsets.US_ASCII), BODY);
        assertEquals("t=" + T + ",v1=" + expected, header);
    }

    @Test
    void verifiesItsOwnSignatureWithinTolerance() {
        String header = WebhookSigner.header(SECRET, T, BODY);
        assertTrue(WebhookSigner.verify(SECRET, header, BODY, NOW, 300));
        assertTrue(WebhookSigner.verify("whsec_signer_test", header, BODY, NOW, 300));
    }

    @Test
    void tamperedBodyWrongSecretAndReplayedTimestampFail() {
        String header = WebhookSigner.header(SECRET, T, BODY);
        byte[] tampered = new String(BODY, StandardCharsets.UTF_8).replace("c1", "c2").getBytes(StandardCharsets.UTF_8);
        assertFalse(WebhookSigner.verify(SECRET, header, tampered, NOW, 300), "tampered body");
        assertFalse(WebhookSigner.verify("other".getBytes(StandardCharsets.UTF_8), header, BODY, NOW, 300), "wrong secret");
        String retimed = header.replace("t=" + T, "t=" + (T + 5)); // a replay with a fresh timestamp
        assertFalse(WebhookSigner.verify(SECRET, retimed, BODY, NOW, 300), "timestamp is under the MAC");
        assertFalse(WebhookSigner.verify(SECRET, header, BODY, Instant.ofEpochSecond(T + 301), 300), "too old");
        assertFalse(WebhookSigner.verify(SECRET, header, BODY, Instant.ofEpochSecond(T - 301), 300), "too far ahead");
    }

    @Test
    void malformedHeadersAreInvalidNotErrors() {
        for (String h : new String[] {null, "", "v1=abc", "t=x,v1=abc", "t=" + T, "t=" + T + ",v1="}) {
            assertFalse(WebhookSigner.verify(SECRET, h, BODY, NOW, 300), String.valueOf(h));
        }
    }

    @Test
    void anyOfSeveralV1EntriesMayMatchDuringASecretRotation() {
        String good = WebhookSigner.header(SECRET, T, BODY);
        String old = WebhookSigner.header("old".getBytes(StandardCharsets.UTF_8), T, BODY);
        String both = old + "," + good.substring(good.indexOf("v1="));
        assertTrue(WebhookSigner.verify(SECRET, both, BODY, NOW, 300));
        assertFalse(WebhookSigner.verify(SECRET, old, BODY, NOW, 300));
    }
}
