package io.trunkline.media.codec;

/**
 * L16 (RFC 3551 §4.5.11): uncompressed 16-bit signed samples in network byte order (big-endian), mono, at the
 * rate the SDP names. Stateless; one instance per rate can be shared.
 */
public final class L16Codec implements AudioCodec {

    private final int sampleRate;

    /** @param sampleRate 8000..48000 Hz, the clock rate of the rtpmap */
    public L16Codec(int sampleRate) {
        if (sampleRate < 8000 || sampleRate > 48000) {
            throw new IllegalArgumentException("L16 sample rate must be 8000..48000 Hz, got " + sampleRate);
        }
        this.sampleRate = sampleRate;
    }

    @Override public String name() { return "L16"; }

    @Override public int sampleRate() { return sampleRate; }

    @Override public int rtpClockRate() { return sampleRate; }

    @Override
    public int encode(short[] pcm, int samples, byte[] out, int outOffset) {
        if (out.length - outOffset < samples * 2) {
            throw new IllegalArgumentException("L16 needs " + samples * 2 + " bytes at offset " + outOffset
                    + ", array holds " + out.length);
        }
        for (int i = 0; i < samples; i++) {
            short s = pcm[i];
            out[outOffset + 2 * i] = (byte) (s >> 8);
            out[outOffset + 2 * i + 1] = (byte) s;
        }
        return samples * 2;
    }

    /** An odd trailing byte is not a sample and is ignored. */
    @Override
    public int decode(byte[] payload, int offset, int length, short[] pcm) {
        int n = Math.min(length / 2, pcm.length);
        for (int i = 0; i < n; i++) {
            pcm[i] = (short) ((payload[offset + 2 * i] << 8) | (payload[offset + 2 * i + 1] & 0xFF));
        }
        return n;
    }
}
