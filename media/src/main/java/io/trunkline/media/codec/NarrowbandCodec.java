package io.trunkline.media.codec;

import io.trunkline.audio.Resampler;

/**
 * Presents a wideband codec (Opus at 48 kHz) to the media path as an 8 kHz one: the call's 20 ms clock, jitter
 * buffer, assistant and recorder all work in 160-sample frames, and this adapter resamples on the way in and out
 * with the stateful, anti-aliased {@link Resampler}. The RTP clock stays the wide codec's (48000 for Opus), so
 * timestamps advance by 960 per packet as RFC 7587 requires. Allocation-free after construction.
 */
public final class NarrowbandCodec implements AudioCodec {
    public static final int RATE = 8000;

    private final AudioCodec wide;
    private final Resampler up;
    private final Resampler down;
    private final short[] widePcm;

    public NarrowbandCodec(AudioCodec wide) {
        if (wide.sampleRate() == RATE) throw new IllegalArgumentException(wide.name() + " is already 8 kHz");
        this.wide = wide;
        int wideFrame = wide.sampleRate() / 50;
        this.up = new Resampler(RATE, wide.sampleRate(), RATE / 50);
        this.down = new Resampler(wide.sampleRate(), RATE, wide.sampleRate() * 120 / 1000); // up to 120 ms decoded
        this.widePcm = new short[Math.max(wideFrame, wide.sampleRate() * 120 / 1000)];
    }

    @Override public String name() { return wide.name(); }

    @Override public int sampleRate() { return RATE; }

    @Override public int rtpClockRate() { return wide.rtpClockRate(); }

    @Override
    public int encode(short[] pcm, int samples, byte[] out, int outOffset) {
        int n = up.process(pcm, 0, samples, widePcm, 0);
        return wide.encode(widePcm, n, out, outOffset);
    }

    @Override
    public int decode(byte[] payload, int offset, int length, short[] pcm) {
        int n = wide.decode(payload, offset, length, widePcm);
        return n <= 0 ? n : down.process(widePcm, 0, n, pcm, 0);
    }

    @Override
    public int decodeLost(short[] pcm, int samples) {
        int n = wide.decodeLost(widePcm, samples * (wide.sampleRate() / RATE));
        return n <= 0 ? n : down.process(widePcm, 0, n, pcm, 0);
    }

    @Override
    public void close() {
        wide.close();
    }
}
