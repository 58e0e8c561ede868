package io.trunkline.media.bridge;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.trunkline.audio.G711;
import java.util.Arrays;
import java.util.Base64;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The hand-written media message against Jackson's parser and the JDK's base64 decoder. */
class MediaMessageEncoderTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void messageParsesAsTheTwilioMediaMessage() throws Exception {
        MediaMessageEncoder enc = new MediaMessageEncoder("MZabc123", 160);
        short[] pcm = new short[160];
        SplittableRandom r = new SplittableRandom(7);
        for (int i = 0; i < pcm.length; i++) pcm[i] = (short) r.nextInt(-32768, 32768);
        int n = enc.encode(9_007_199_254_740_993L, 1, 0, pcm, 160);
        JsonNode m = JSON.readTree(Arrays.copyOf(enc.bytes(), n));
        assertEquals("media", m.path("event").asText());
        assertEquals("9007199254740993", m.path("sequenceNumber").asText());
        assertEquals("MZabc123", m.path("streamSid").asText());
        assertEquals("inbound", m.path("media").path("track").asText());
        assertEquals("1", m.path("media").path("chunk").asText());
        assertEquals("0", m.path("media").path("timestamp").asText());
        byte[] ulaw = Base64.getDecoder().decode(m.path("media").path("payload").asText());
        byte[] expected = new byte[160];
        for (int i = 0; i < 160; i++) expected[i] = G711.linearToUlaw(pcm[i]);
        assertArrayEquals(expected, ulaw);
    }

    /** Every length, so each base64 padding case and a frame longer than the scratch buffers are covered. */
    @Test
    void base64MatchesTheJdkForEveryLength() throws Exception {
        MediaMessageEncoder enc = new MediaMessageEncoder("MZ1", 160);
        SplittableRandom r = new SplittableRandom(11);
        for (int samples = 0; samples <= 400; samples++) {
            short[] pcm = new short[samples];
            for (int i = 0; i < samples; i++) pcm[i] = (short) r.nextInt(-32768, 32768);
            int n = enc.encode(samples + 1, samples + 2, samples * 20L, pcm, samples);
            JsonNode m = JSON.readTree(Arrays.copyOf(enc.bytes(), n));
            byte[] ulaw = new byte[samples];
            for (int i = 0; i < samples; i++) ulaw[i] = G711.linearToUlaw(pcm[i]);
            assertEquals(Base64.getEncoder().encodeToString(ulaw), m.path("media").path("payload").asText(), samples + " samples");
            assertEquals(String.valueOf(samples * 20L), m.path("media").path("timestamp").asText());
        }
    }

    @Test
    void decimalsAreWrittenWithoutLeadingZeros() {
        byte[] out = new byte[20];
        for (long v : new long[] {0, 9, 10, 99, 100, 1234567890123L, Long.MAX_VALUE}) {
            int n = MediaMessageEncoder.putDecimal(out, 0, v);
            assertEquals(Long.toString(v), new String(out, 0, n));
        }
        assertThrows(IllegalArgumentException.class, () -> MediaMessageEncoder.putDecimal(out, 0, -1));
    }

    @Test
    void streamSidThatWouldNeedEscapingIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new MediaMessageEncoder("MZ\"x", 160));
        assertEquals("streamSid: must be ASCII letters and digits, got MZ\"x", e.getMessage());
    }
}
