package io.trunkline.media.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class L16CodecTest {

    @Test
    void samplesAreBigEndianOnTheWire() {
        L16Codec codec = new L16Codec(16000);
        byte[] out = new byte[8];
        assertEquals(6, codec.encode(new short[] {0x1234, -2, Short.MIN_VALUE}, 3, out, 2));
        assertArrayEquals(new byte[] {0, 0, 0x12, 0x34, (byte) 0xFF, (byte) 0xFE, (byte) 0x80, 0}, out);
        short[] back = new short[3];
        assertEquals(3, codec.decode(out, 2, 6, back));
        assertArrayEquals(new short[] {0x1234, -2, Short.MIN_VALUE}, back);
    }

    @Test
    void everySampleRoundTrips() {
        short[] all = new short[65536];
        for (int i = 0; i < all.length; i++) {
            all[i] = (short) (i - 32768);
        }
        L16Codec codec = new L16Codec(8000);
        byte[] wire = new byte[all.length * 2];
        codec.encode(all, all.length, wire, 0);
        short[] back = new short[all.length];
        assertEquals(all.length, codec.decode(wire, 0, wire.length, back));
        assertArrayEquals(all, back);
    }

    @Test
    void oddTrailingByteAndSmallOutputsAreHandled() {
        L16Codec codec = new L16Codec(8000);
        short[] pcm = new short[4];
        Arrays.fill(pcm, (short) 7);
        assertEquals(2, codec.decode(new byte[] {0, 1, 0, 2, 9}, 0, 5, pcm));
        assertArrayEquals(new short[] {1, 2, 7, 7}, pcm);
        assertEquals("L16 sample rate must be 8000..48000 Hz, got 7999",
                assertThrows(IllegalArgumentException.class, () -> new L16Codec(7999)).getMessage());
    }
}
