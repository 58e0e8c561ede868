package io.trunkline.media.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.trunkline.audio.Tones;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class OpusCodecTest {

    @AfterEach
    void everyNativeHandleIsFreed() {
        assertEquals(0, OpusCodec.liveHandles(), "native encoders/decoders left open");
    }

    @Test
    void prefersDebiansLibopus() {
        String description = OpusCodec.libraryDescription();
        if (Files.isReadable(Path.of(OpusNative.DEBIAN_LIBRARY))) {
            assertTrue(description.endsWith(" from " + OpusNative.DEBIAN_LIBRARY), description);
        }
        assertTrue(description.startsWith("libopus 1."), description);
    }

    @Test
    void aToneSurvivesEncodeAndDecodeIn20msFrames() {
        short[] in = Tones.sine(440, 8000, 48000, 48000);
        short[] out = new short[48000];
        byte[] packet = new byte[OpusCodec.MAX_PACKET_BYTES + 3];
        short[] frame = new short[OpusCodec.FRAME_SAMPLES];
        short[] decoded = new short[OpusCodec.MAX_DECODED_SAMPLES];
        int totalBytes = 0;
        try (OpusCodec codec = new OpusCodec()) {
            assertEquals(2, OpusCodec.liveHandles());
            for (int f = 0; f < 50; f++) {
                System.arraycopy(in, f * 960, frame, 0, 960);
                int n = codec.encode(frame, 960, packet, 3);
                assertTrue(n > 2 && n <= OpusCodec.MAX_PACKET_BYTES, "packet of " + n + " bytes");
                totalBytes += n;
                assertEquals(960, codec.decode(packet, 3, n, decoded)); // at an offset, as in an RTP packet
                System.arraycopy(decoded, 0, out, f * 960, 960);
            }
            assertEquals(0, codec.decodeErrors());
        }
        // ~32 kbit/s: 200 bytes of payload per 50 ms, within a generous margin for VBR
        assertEquals(32000 / 8, totalBytes, 32000 / 8 * 0.5, "one second of packets, bytes");
        double level = Tones.amplitudeAt(out, 4800, 48000, 48000, 440);
        assertEquals(8000, level, 8000 * 0.15, "440 Hz level after the codec");
        assertTrue(Tones.amplitudeAt(out, 4800, 48000, 48000, 1000) < 200, "no energy appears elsewhere");
    }

    @Test
    void concealmentContinuesTheSignalForALostPacket() {
        short[] in = Tones.sine(300, 8000, 48000, 48000);
        short[] frame = new short[960];
        byte[] packet = new byte[OpusCodec.MAX_PACKET_BYTES];
        short[] decoded = new short[960];
        try (OpusCodec codec = new OpusCodec()) {
            for (int f = 0; f < 10; f++) {
                System.arraycopy(in, f * 960, frame, 0, 960);
                codec.decode(packet, 0, codec.encode(frame, 960, packet, 0), decoded);
            }
            assertEquals(960, codec.decodeLost(decoded, 960));
            double concealed = Tones.amplitudeAt(decoded, 0, 480, 48000, 300);
            assertTrue(concealed > 2000, "the first half of the concealed frame carries the tone on: " + concealed);
            assertThrows(IllegalArgumentException.class, () -> codec.decodeLost(decoded, 100));
        }
    }

    /** What a live call uses: Opus behind the 8 kHz adapter, a lost packet concealed by the codec, not silence. */
    @Test
    void aLostPacketOnTheNarrowbandPathIsConcealedByOpus() {
        short[] in = Tones.sine(300, 8000, 1600, 8000);
        short[] frame = new short[160];
        byte[] packet = new byte[OpusCodec.MAX_PACKET_BYTES];
        short[] decoded = new short[960];
        try (NarrowbandCodec codec = new NarrowbandCodec(new OpusCodec())) {
            for (int f = 0; f < 10; f++) {
                System.arraycopy(in, f * 160, frame, 0, 160);
                codec.decode(packet, 0, codec.encode(frame, 160, packet, 0), decoded);
            }
            assertEquals(160, codec.decodeLost(decoded, 160));
            double concealed = Tones.amplitudeAt(decoded, 0, 80, 8000, 300);
            assertTrue(concealed > 1000, "the concealed frame carries the tone on: " + concealed);
        }
    }

    @Test
    void malformedPayloadsAreCountedNotThrown() {
        short[] pcm = new short[OpusCodec.MAX_DECODED_SAMPLES];
        try (OpusCodec codec = new OpusCodec()) {
            // TOC code 3 (arbitrary frame count) with a count of 0 frames: invalid
            assertEquals(0, codec.decode(new byte[] {(byte) 0xFF, 0x00}, 0, 2, pcm));
            assertEquals(0, codec.decode(new byte[0], 0, 0, pcm));
            assertEquals(0, codec.decode(new byte[2000], 0, 2000, pcm));
            assertEquals(3, codec.decodeErrors());
        }
    }

    @Test
    void closeFreesBothHandlesAndLaterUseIsRefused() {
        OpusCodec[] codecs = new OpusCodec[20];
        for (int i = 0; i < codecs.length; i++) {
            codecs[i] = new OpusCodec();
        }
        assertEquals(40, OpusCodec.liveHandles());
        for (OpusCodec c : codecs) {
            c.close();
            c.close(); // idempotent
        }
        assertEquals(0, OpusCodec.liveHandles());
        assertEquals("opus codec is closed", assertThrows(IllegalStateException.class,
                () -> codecs[0].encode(new short[960], 960, new byte[1275], 0)).getMessage());
        assertThrows(IllegalStateException.class, () -> codecs[0].decodeLost(new short[960], 960));
    }

    @Test
    void badSettingsAndFrameSizesAreRejected() {
        assertEquals("opus bitrate must be 6000..510000 bit/s, got 100", assertThrows(IllegalArgumentException.class,
                () -> new OpusCodec(100, 5)).getMessage());
        assertEquals("opus complexity must be 0..10, got 11", assertThrows(IllegalArgumentException.class,
                () -> new OpusCodec(32000, 11)).getMessage());
        try (OpusCodec codec = new OpusCodec()) {
            assertTrue(assertThrows(IllegalArgumentException.class,
                    () -> codec.encode(new short[1000], 1000, new byte[1275], 0)).getMessage()
                    .startsWith("opus frame must be 120, 240, 480, 960, 1920 or 2880 samples"));
        }
    }

    @Test
    void aFrameAllocatesNothing() {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        short[] frame = Tones.sine(440, 8000, 960, 48000);
        byte[] packet = new byte[OpusCodec.MAX_PACKET_BYTES + 12];
        short[] decoded = new short[960];
        try (OpusCodec codec = new OpusCodec()) {
            for (int i = 0; i < 3000; i++) {
                codec.decode(packet, 12, codec.encode(frame, 960, packet, 12), decoded);
                codec.decodeLost(decoded, 960);
            }
            long before = mx.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < 500; i++) {
                codec.decode(packet, 12, codec.encode(frame, 960, packet, 12), decoded);
                codec.decodeLost(decoded, 960);
            }
            long allocated = mx.getCurrentThreadAllocatedBytes() - before;
            assertTrue(allocated < 1000, "500 frames allocated " + allocated + " bytes");
        }
    }
}
