package io.trunkline.media.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.trunkline.audio.G711;
import org.junit.jupiter.api.Test;

class G711CodecTest {

    @Test
    void codecRoundTripsAFrame() {
        short[] pcm = new short[160];
        for (int i = 0; i < pcm.length; i++) pcm[i] = (short) (8000 * Math.sin(2 * Math.PI * 1000 * i / 8000.0));
        byte[] payload = new byte[170];
        short[] back = new short[160];
        for (G711Codec codec : new G711Codec[] {G711Codec.PCMU, G711Codec.PCMA}) {
            assertEquals(160, codec.encode(pcm, 160, payload, 10));
            for (int i = 0; i < 160; i++) {
                byte expected = codec == G711Codec.PCMU ? G711.linearToUlaw(pcm[i]) : G711.linearToAlaw(pcm[i]);
                assertEquals(expected, payload[10 + i], codec.name() + " byte " + i);
            }
            assertEquals(160, codec.decode(payload, 10, 160, back));
            for (int i = 0; i < 160; i++) {
                assertTrue(Math.abs(back[i] - pcm[i]) <= Math.max(16, Math.abs(pcm[i]) / 16),
                        codec.name() + " sample " + i + ": " + pcm[i] + " -> " + back[i]);
            }
        }
    }
}
