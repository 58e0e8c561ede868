package io.trunkline.media.bridge;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.trunkline.media.bridge.InboundMessageReader.Outcome;
import io.trunkline.audio.G711;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Unit test of the inbound reader: each assistant message and each kind of bad input. */
class InboundMessageReaderTest {
    private final RecordingOutput out = new RecordingOutput();
    private final InboundMessageReader reader = new InboundMessageReader(out);

    private Outcome read(String json) {
        ByteBuf buf = Unpooled.copiedBuffer(json, StandardCharsets.UTF_8);
        try {
            return reader.read(buf);
        } finally {
            buf.release();
        }
    }

    @Test
    void mediaOfAnyLengthIsDecodedToPcm() {
        for (int len : new int[] {1, 160, 4000}) {
            byte[] ulaw = new byte[len];
            for (int i = 0; i < len; i++) ulaw[i] = (byte) (i * 7);
            int before = out.pcm().length;
            assertEquals(Outcome.MEDIA, read("{\"event\":\"media\",\"streamSid\":\"MZ1\",\"media\":{\"payload\":\""
                    + Base64.getEncoder().encodeToString(ulaw) + "\"}}"));
            short[] pcm = out.pcm();
            short[] expected = new short[len];
            for (int i = 0; i < len; i++) expected[i] = G711.ulawToLinear(ulaw[i]);
            assertArrayEquals(expected, java.util.Arrays.copyOfRange(pcm, before, pcm.length));
        }
        assertEquals(Outcome.MEDIA, read("{\"event\":\"media\",\"media\":{\"payload\":\"\"}}"));
        assertEquals(1 + 1 + 3, out.writes(), "4,000 bytes play as 1,600 + 1,600 + 800; an empty payload writes nothing");
    }

    @Test
    void mediaTheFullPlayoutQueueRefusesIsReportedAsRejected() {
        InboundMessageReader small = new InboundMessageReader(new RecordingOutput(2000));
        ByteBuf buf = Unpooled.copiedBuffer("{\"event\":\"media\",\"media\":{\"payload\":\""
                + Base64.getEncoder().encodeToString(new byte[4000]) + "\"}}", StandardCharsets.UTF_8);
        assertEquals(Outcome.MEDIA_REJECTED, small.read(buf));
        buf.release();
    }

    @Test
    void markAndClearReachTheOutput() {
        assertEquals(Outcome.MARK, read("{\"event\":\"mark\",\"streamSid\":\"MZ1\",\"mark\":{\"name\":\"n\\u00e9 \\\"1\\\"\"}}"));
        assertEquals(Outcome.CLEAR, read("{\"event\":\"clear\",\"streamSid\":\"MZ1\"}"));
        assertEquals(List.of("né \"1\""), out.marks());
        assertEquals(1, out.clears());
    }

    @Test
    void badInputIsClassifiedAndDoesNothing() {
        assertEquals(Outcome.MALFORMED, read("{\"event\":\"media\""));
        assertEquals(Outcome.MALFORMED, read("not json"));
        assertEquals(Outcome.MALFORMED, read(""));
        assertEquals(Outcome.MALFORMED, read("[1,2]"));
        assertEquals(Outcome.MALFORMED, read("{\"event\":\"clear\"} {\"event\":\"clear\"}"));
        assertEquals(Outcome.MALFORMED, read("{\"event\":7}"));
        assertEquals(Outcome.MALFORMED, read("{\"event\":\"media\",\"media\":{}}"));
        assertEquals(Outcome.MALFORMED, read("{\"event\":\"media\",\"media\":{\"payload\":12}}"));
        assertEquals(Outcome.MALFORMED, read("{\"event\":\"mark\",\"mark\":{}}"));
        assertEquals(Outcome.BAD_PAYLOAD, read("{\"event\":\"media\",\"media\":{\"payload\":\"@@@\"}}"));
        assertEquals(Outcome.BAD_PAYLOAD, read("{\"event\":\"media\",\"media\":{\"payload\":\"QUJD=\"}}"));
        assertEquals(Outcome.UNKNOWN_EVENT, read("{\"event\":\"stop\"}"));
        assertEquals(0, out.writes() + out.marks().size() + out.clears());
    }
}
