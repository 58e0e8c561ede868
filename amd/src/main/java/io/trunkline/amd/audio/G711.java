package io.trunkline.amd.audio;

/** G.711 decoding (ITU-T G.711 expansion), as lookup tables built once. */
public final class G711 {

    private static final short[] ULAW = new short[256];
    private static final short[] ALAW = new short[256];

    static {
        for (int i = 0; i < 256; i++) {
            ULAW[i] = ulawExpand(i);
            ALAW[i] = alawExpand(i);
        }
    }

    private G711() {}

    /** Linear 16-bit sample for a mu-law byte. */
    public static short ulawToLinear(byte code) {
        return ULAW[code & 0xFF];
    }

    /** Linear 16-bit sample for an A-law byte. */
    public static short alawToLinear(byte code) {
        return ALAW[code & 0xFF];
    }

    private static short ulawExpand(int code) {
        int u = ~code & 0xFF;
        int exponent = (u >> 4) & 0x07;
        int mantissa = u & 0x0F;
        // 14-bit magnitude with the 0x84 bias removed, scaled to 16 bits
        int magnitude = (((mantissa << 3) + 0x84) << exponent) - 0x84;
        return (short) ((u & 0x80) != 0 ? -magnitude : magnitude);
    }

    private static short alawExpand(int code) {
        int a = (code ^ 0x55) & 0xFF;
        int exponent = (a >> 4) & 0x07;
        int mantissa = a & 0x0F;
        int magnitude = exponent == 0 ? (mantissa << 4) + 8 : ((mantissa << 4) + 0x108) << (exponent - 1);
        return (short) ((a & 0x80) != 0 ? magnitude : -magnitude);
    }
}
