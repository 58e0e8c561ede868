package io.trunkline.media.codec;

import io.trunkline.audio.G711;

/** PCMU (payload type 0) or PCMA (8): one byte per 8 kHz sample, stateless. */
public final class G711Codec implements AudioCodec {
    public static final G711Codec PCMU = new G711Codec(true);
    public static final G711Codec PCMA = new G711Codec(false);

    private final boolean ulaw;

    private G711Codec(boolean ulaw) { this.ulaw = ulaw; }

    @Override public String name() { return ulaw ? "PCMU" : "PCMA"; }

    @Override public int sampleRate() { return 8000; }

    @Override public int rtpClockRate() { return 8000; }

    @Override
    public int encode(short[] pcm, int samples, byte[] out, int outOffset) {
        if (ulaw) {
            for (int i = 0; i < samples; i++) out[outOffset + i] = G711.linearToUlaw(pcm[i]);
        } else {
            for (int i = 0; i < samples; i++) out[outOffset + i] = G711.linearToAlaw(pcm[i]);
        }
        return samples;
    }

    @Override
    public int decode(byte[] payload, int offset, int length, short[] pcm) {
        int n = Math.min(length, pcm.length);
        if (ulaw) {
            for (int i = 0; i < n; i++) pcm[i] = G711.ulawToLinear(payload[offset + i]);
        } else {
            for (int i = 0; i < n; i++) pcm[i] = G711.alawToLinear(payload[offset + i]);
        }
        return n;
    }
}
