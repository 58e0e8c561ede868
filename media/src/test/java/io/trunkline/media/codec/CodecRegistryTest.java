package io.trunkline.media.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class CodecRegistryTest {

    private final CodecRegistry registry = CodecRegistry.standard();

    @Test
    void resolvesTheSdpEncodingNamesCaseInsensitively() {
        assertSame(G711Codec.PCMU, registry.create("PCMU", 8000, 1));
        assertSame(G711Codec.PCMA, registry.create("pcma", 8000, 1));
        try (AudioCodec opus = registry.create("OPUS", 48000, 2)) {
            assertTrue(opus instanceof OpusCodec);
            assertEquals(48000, opus.rtpClockRate());
        }
        assertEquals(0, OpusCodec.liveHandles());
        AudioCodec l16 = registry.create("L16", 16000, 1);
        assertEquals(16000, l16.sampleRate());
        assertEquals("L16", l16.name());
    }

    @Test
    void eachOpusCallGetsItsOwnNativeState() {
        CodecRegistry.Factory f = registry.find("opus", 48000, 2).orElseThrow();
        try (AudioCodec a = f.create(); AudioCodec b = f.create()) {
            assertTrue(a != b);
            assertEquals(4, OpusCodec.liveHandles());
        }
        assertEquals(0, OpusCodec.liveHandles());
    }

    @Test
    void unsupportedRtpmapsAreNamedInTheError() {
        assertTrue(registry.find("PCMU", 16000, 1).isEmpty());
        assertTrue(registry.find("opus", 48000, 1).isEmpty(), "RFC 7587 says opus/48000/2");
        assertTrue(registry.find("L16", 44100, 2).isEmpty());
        assertTrue(registry.find("G729", 8000, 1).isEmpty());
        assertEquals("unsupported rtpmap G722/8000/1 (supported: PCMU/8000, PCMA/8000, opus/48000/2, "
                + "L16/8000..48000 mono)", assertThrows(IllegalArgumentException.class,
                () -> registry.create("G722", 8000, 1)).getMessage());
        assertEquals(0, registry.entries().get(0).staticPayloadType());
        assertEquals(8, registry.entries().get(1).staticPayloadType());
    }
}
