package io.trunkline.audio;

/**
 * ITU-T G.711 μ-law and A-law, table-driven in both directions. The encoders follow the G.191 reference
 * (ulaw_compress / alaw_compress) bit for bit: the 64 KiB tables are built once from those algorithms and checked
 * against the G.191 reference encodings in the tests. Java's javax.sound converters are not bit-exact, which is why
 * this class exists.
 */
public final class G711 {
    private static final byte[] LINEAR_TO_ULAW = new byte[65536];
    private static final byte[] LINEAR_TO_ALAW = new byte[65536];
    private static final short[] ULAW_TO_LINEAR = new short[256];
    private static final short[] ALAW_TO_LINEAR = new short[256];

    static {
        for (int s = -32768; s <= 32767; s++) {
            LINEAR_TO_ULAW[s & 0xffff] = (byte) ulawCompress(s);
            LINEAR_TO_ALAW[s & 0xffff] = (byte) alawCompress(s);
        }
        for (int c = 0; c < 256; c++) {
            ULAW_TO_LINEAR[c] = (short) ulawExpand(c);
            ALAW_TO_LINEAR[c] = (short) alawExpand(c);
        }
    }

    private G711() {}

    public static byte linearToUlaw(short sample) { return LINEAR_TO_ULAW[sample & 0xffff]; }

    public static byte linearToAlaw(short sample) { return LINEAR_TO_ALAW[sample & 0xffff]; }

    public static short ulawToLinear(byte code) { return ULAW_TO_LINEAR[code & 0xff]; }

    public static short alawToLinear(byte code) { return ALAW_TO_LINEAR[code & 0xff]; }

    /** G.191 ulaw_compress: the 14-bit magnitude (one's complement for negatives) with a bias of 33. */
    private static int ulawCompress(int lin) {
        int absno = lin < 0 ? ((~lin) >> 2) + 33 : (lin >> 2) + 33;
        if (absno > 0x1fff) absno = 0x1fff;
        int segno = 1;
        for (int i = absno >> 6; i != 0; i >>= 1) segno++;
        int high = 0x8 - segno;
        int low = 0xf - ((absno >> segno) & 0xf);
        int out = (high << 4) | low;
        return lin >= 0 ? out | 0x80 : out;
    }

    /** G.191 alaw_compress: 13-bit magnitude, segment search, even bits inverted. */
    private static int alawCompress(int lin) {
        int ix = lin < 0 ? (~lin) >> 4 : lin >> 4;
        if (ix > 15) {
            int iexp = 1;
            while (ix > 16 + 15) {
                ix >>= 1;
                iexp++;
            }
            ix -= 16;
            ix += iexp << 4;
        }
        if (lin >= 0) ix |= 0x80;
        return ix ^ 0x55;
    }

    /** G.191 ulaw_expand. */
    private static int ulawExpand(int code) {
        int sign = code < 0x80 ? -1 : 1;
        int mantissa = ~code;
        int exponent = (mantissa >> 4) & 0x7;
        int segment = exponent + 1;
        mantissa &= 0xf;
        int step = 4 << segment;
        return sign * ((0x80 << exponent) + step * mantissa + step / 2 - 4 * 33);
    }

    /** G.191 alaw_expand. */
    private static int alawExpand(int code) {
        int ix = (code ^ 0x55) & 0x7f;
        int iexp = ix >> 4;
        int mant = ix & 0xf;
        if (iexp > 0) mant += 16;
        mant = (mant << 4) + 0x8;
        if (iexp > 1) mant <<= iexp - 1;
        return code > 127 ? mant : -mant;
    }
}
