package io.trunkline.media.codec;

/**
 * One codec instance per call direction. Frames are 16-bit linear PCM at {@link #sampleRate()}; payloads are what an
 * RTP packet carries. Both calls work on caller-owned arrays so that the per-packet path allocates nothing.
 * Instances that hold native state release it in {@link #close()}.
 */
public interface AudioCodec extends AutoCloseable {

    /** The encoding name as it appears in an SDP rtpmap (PCMU, PCMA, opus, L16). */
    String name();

    /** The PCM rate the codec consumes and produces. */
    int sampleRate();

    /** The RTP clock rate, which for G.711 equals the sample rate and for Opus is always 48000. */
    int rtpClockRate();

    /** Encodes {@code samples} samples of {@code pcm} into {@code out} at {@code outOffset}; returns the byte count. */
    int encode(short[] pcm, int samples, byte[] out, int outOffset);

    /** Decodes {@code length} payload bytes into {@code pcm}; returns the number of samples written. */
    int decode(byte[] payload, int offset, int length, short[] pcm);

    /**
     * The codec's own packet-loss concealment: writes {@code samples} samples standing in for one lost packet and
     * returns the count, or -1 when the codec has none (the jitter buffer then conceals by itself). Codecs with
     * in-band state (Opus) override this so the decoder state follows the loss.
     */
    default int decodeLost(short[] pcm, int samples) { return -1; }

    @Override
    default void close() {}
}
