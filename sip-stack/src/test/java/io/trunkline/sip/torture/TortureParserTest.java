package io.trunkline.sip.torture;

import gov.nist.javax.sip.message.SIPMessage;
import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.message.SIPResponse;
import io.trunkline.sip.message.RequestValidator;
import io.trunkline.sip.message.SipCodec;
import io.trunkline.sip.message.SipParseException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** Every RFC 4475 message is handled at the parser and the §8.2 validator exactly as MANIFEST.csv says. */
class TortureParserTest {
    static List<TortureManifest> messages() {
        return TortureManifest.all();
    }

    @Test
    void manifestCoversAll49MessagesAndBytesMatchTheirDigests() throws Exception {
        assertEquals(49, messages().size());
        String sums = new String(TortureManifest.resource("/sip-torture/SHA256SUMS"), StandardCharsets.US_ASCII);
        int checked = 0;
        for (String line : sums.split("\n")) {
            if (line.isBlank()) continue;
            String[] parts = line.trim().split("\\s+\\*?");
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(TortureManifest.resource("/sip-torture/" + parts[1]));
            assertEquals(parts[0], HexFormat.of().formatHex(digest), parts[1] + " was altered (line endings?)");
            checked++;
        }
        assertEquals(49, checked);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("messages")
    void handledAsTheManifestSays(TortureManifest m) {
        SIPMessage message;
        try {
            message = SipCodec.parse(m.bytes());
        } catch (SipParseException e) {
            if (m.valid()) fail(m + " must parse, got " + e.statusCode() + " " + e.getMessage());
            if (m.drop()) {
                assertTrue(!e.isRequest() || e.statusCode() == 0, m + ": a response is dropped, never answered");
            } else {
                assertTrue(e.isRequest(), m + " is a request");
                assertEquals(m.status(), e.statusCode(), m + ": " + e.getMessage());
            }
            return;
        }
        if (message instanceof SIPResponse response) {
            if (m.drop()) {
                assertTrue(response.getViaHeaders().size() > 1, m + " parsed; a UA drops it for its extra Via (RFC 3261 §8.1.3.3)");
            } else {
                assertTrue(m.valid(), m + " parsed as a response");
            }
            return;
        }
        RequestValidator.Verdict verdict = RequestValidator.check((SIPRequest) message);
        if (m.valid()) {
            assertNotEquals(400, verdict.status(), m + " is valid: " + verdict);
            assertTrue(verdict.ok() || verdict.status() == 501 || verdict.status() == 405,
                    m + ": only the role-dependent answers of an endpoint (501 unknown method, 405 REGISTER/MESSAGE): " + verdict);
        } else {
            assertEquals(m.status(), verdict.status(), m + ": " + verdict);
        }
    }

    /** Mutated torture messages: the parser and validator may reject, never throw anything else. */
    @Test
    void mutationsNeverEscapeAsUnexpectedExceptions() {
        Random random = new Random(4475);
        List<TortureManifest> all = messages();
        int parsed = 0;
        for (int i = 0; i < 2000; i++) {
            byte[] b = all.get(random.nextInt(all.size())).bytes().clone();
            int edits = 1 + random.nextInt(8);
            for (int e = 0; e < edits; e++) {
                int at = random.nextInt(b.length);
                switch (random.nextInt(4)) {
                    case 0 -> b[at] = (byte) random.nextInt(256);
                    case 1 -> b[at] = (byte) "\r\n:;<>\" ,\0%".charAt(random.nextInt(11));
                    case 2 -> b = java.util.Arrays.copyOf(b, Math.max(1, at));
                    default -> b[at] = '9';
                }
            }
            try {
                SIPMessage msg = SipCodec.parse(b);
                parsed++;
                if (msg instanceof SIPRequest r) RequestValidator.check(r);
            } catch (SipParseException expected) {
                // rejected cleanly
            } catch (RuntimeException e) {
                throw new AssertionError("mutation " + i + " escaped: " + e + " on " + SipCodec.describe(b, b.length), e);
            }
        }
        assertTrue(parsed > 100, "most single edits still parse; the fuzzer reached the validator " + parsed + " times");
    }
}
