package io.trunkline.media.codec;

import com.sun.jna.Pointer;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Opus (RFC 6716, RTP payload RFC 7587) at 48 kHz mono, one encoder and one decoder per call, in native memory
 * freed by {@link #close()}. The payload type is dynamic: the SDP says {@code opus/48000/2} even for mono.
 *
 * <p>Frames are normally 20 ms (960 samples); 2.5 to 60 ms are accepted. Encode, decode and {@link #decodeLost} work
 * on caller arrays plus two scratch arrays held here, so they allocate nothing. They are synchronized only so that a
 * {@link #close()} from another thread cannot free the native state under a running call (a crash, not an
 * exception); the lock is uncontended in normal use and costs nanoseconds against a ~50 µs encode.
 */
public final class OpusCodec implements AudioCodec {

    public static final int SAMPLE_RATE = 48000;
    /** 20 ms at 48 kHz. */
    public static final int FRAME_SAMPLES = 960;
    /** Largest Opus packet (RFC 6716 §3.4). */
    public static final int MAX_PACKET_BYTES = 1275;
    /** Longest packet a peer may send: 120 ms. */
    public static final int MAX_DECODED_SAMPLES = 5760;
    public static final int DEFAULT_BITRATE = 32000;
    public static final int DEFAULT_COMPLEXITY = 5;

    private static final AtomicInteger LIVE_HANDLES = new AtomicInteger();

    private final byte[] packetScratch = new byte[MAX_PACKET_BYTES];
    private Pointer encoder;
    private Pointer decoder;
    private long decodeErrors;

    /** 32 kbit/s, complexity 5, tuned for voice. */
    public OpusCodec() {
        this(DEFAULT_BITRATE, DEFAULT_COMPLEXITY);
    }

    /**
     * @param bitrate 6000..510000 bit/s
     * @param complexity 0 (cheapest) .. 10 (best)
     * @throws IllegalStateException when libopus cannot be loaded, saying what was tried
     */
    public OpusCodec(int bitrate, int complexity) {
        if (bitrate < 6000 || bitrate > 510000) {
            throw new IllegalArgumentException("opus bitrate must be 6000..510000 bit/s, got " + bitrate);
        }
        if (complexity < 0 || complexity > 10) {
            throw new IllegalArgumentException("opus complexity must be 0..10, got " + complexity);
        }
        OpusNative.requireLoaded();
        int[] error = new int[1];
        Pointer enc = OpusNative.opus_encoder_create(SAMPLE_RATE, 1, OpusNative.OPUS_APPLICATION_VOIP, error);
        check(enc, error[0], "opus_encoder_create");
        LIVE_HANDLES.incrementAndGet();
        encoder = enc;
        try {
            OpusNative.Control ctl = OpusNative.control();
            ctl(ctl.opus_encoder_ctl(enc, OpusNative.OPUS_SET_BITRATE_REQUEST, bitrate), "bitrate " + bitrate);
            ctl(ctl.opus_encoder_ctl(enc, OpusNative.OPUS_SET_COMPLEXITY_REQUEST, complexity), "complexity");
            ctl(ctl.opus_encoder_ctl(enc, OpusNative.OPUS_SET_SIGNAL_REQUEST, OpusNative.OPUS_SIGNAL_VOICE), "signal");
            Pointer dec = OpusNative.opus_decoder_create(SAMPLE_RATE, 1, error);
            check(dec, error[0], "opus_decoder_create");
            LIVE_HANDLES.incrementAndGet();
            decoder = dec;
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /** Native encoders and decoders created and not yet freed in this JVM (two per open codec). */
    public static int liveHandles() {
        return LIVE_HANDLES.get();
    }

    /** Where libopus was loaded from and its version, for the startup log. */
    public static String libraryDescription() {
        return OpusNative.opus_get_version_string() + " from " + OpusNative.loadedFrom();
    }

    @Override public String name() { return "opus"; }

    @Override public int sampleRate() { return SAMPLE_RATE; }

    @Override public int rtpClockRate() { return SAMPLE_RATE; }

    /** Payloads that could not be decoded; {@link #decode} returned 0 for each. */
    public synchronized long decodeErrors() {
        return decodeErrors;
    }

    /**
     * Encodes one frame of {@code samples} (120, 240, 480, 960, 1920 or 2880: 2.5 to 60 ms).
     *
     * @return the packet length written at {@code out[outOffset]}
     */
    @Override
    public synchronized int encode(short[] pcm, int samples, byte[] out, int outOffset) {
        Pointer enc = open(encoder);
        if (samples != 120 && samples != 240 && samples != 480 && samples != 960 && samples != 1920
                && samples != 2880) {
            throw new IllegalArgumentException("opus frame must be 120, 240, 480, 960, 1920 or 2880 samples"
                    + " (2.5..60 ms at 48 kHz), got " + samples);
        }
        if (pcm.length < samples) {
            throw new IllegalArgumentException("pcm holds " + pcm.length + " samples, fewer than " + samples);
        }
        int room = Math.min(MAX_PACKET_BYTES, out.length - outOffset);
        int n = OpusNative.opus_encode(enc, pcm, samples, packetScratch, room);
        if (n < 0) {
            throw new IllegalStateException("opus_encode failed: " + OpusNative.opus_strerror(n)
                    + " (output room " + room + " bytes)");
        }
        System.arraycopy(packetScratch, 0, out, outOffset, n);
        return n;
    }

    /**
     * Decodes one packet into {@code pcm}, which should hold {@link #MAX_DECODED_SAMPLES} to take any packet a peer
     * may send (960 suffices for 20 ms packets).
     *
     * @return samples written, or 0 when the payload is not a valid Opus packet (counted in {@link #decodeErrors()};
     *         the caller may {@link #decodeLost} instead)
     */
    @Override
    public synchronized int decode(byte[] payload, int offset, int length, short[] pcm) {
        Pointer dec = open(decoder);
        if (length <= 0 || length > MAX_PACKET_BYTES) {
            decodeErrors++;
            return 0;
        }
        byte[] data = payload;
        if (offset != 0) { // direct mapping passes arrays from index 0
            System.arraycopy(payload, offset, packetScratch, 0, length);
            data = packetScratch;
        }
        int n = OpusNative.opus_decode(dec, data, length, pcm, Math.min(pcm.length, MAX_DECODED_SAMPLES), 0);
        if (n < 0) {
            decodeErrors++;
            return 0;
        }
        return n;
    }

    /**
     * Packet-loss concealment: synthesises {@code samples} (a multiple of 2.5 ms, normally the 960 of the missing
     * packet) from the decoder's state, for the jitter buffer to play in place of a lost packet.
     *
     * @return samples written
     */
    @Override
    public synchronized int decodeLost(short[] pcm, int samples) {
        Pointer dec = open(decoder);
        if (samples <= 0 || samples % 120 != 0 || samples > Math.min(pcm.length, MAX_DECODED_SAMPLES)) {
            throw new IllegalArgumentException("concealment length must be a positive multiple of 120 samples"
                    + " (2.5 ms) up to " + Math.min(pcm.length, MAX_DECODED_SAMPLES) + ", got " + samples);
        }
        int n = OpusNative.opus_decode(dec, null, 0, pcm, samples, 0);
        if (n < 0) {
            throw new IllegalStateException("opus packet-loss concealment failed: " + OpusNative.opus_strerror(n));
        }
        return n;
    }

    /** Frees the native encoder and decoder; further use throws {@link IllegalStateException}. Idempotent. */
    @Override
    public synchronized void close() {
        if (encoder != null) {
            OpusNative.opus_encoder_destroy(encoder);
            encoder = null;
            LIVE_HANDLES.decrementAndGet();
        }
        if (decoder != null) {
            OpusNative.opus_decoder_destroy(decoder);
            decoder = null;
            LIVE_HANDLES.decrementAndGet();
        }
    }

    private static Pointer open(Pointer handle) {
        if (handle == null) {
            throw new IllegalStateException("opus codec is closed");
        }
        return handle;
    }

    private static void check(Pointer handle, int error, String call) {
        if (handle == null || error != OpusNative.OPUS_OK) {
            throw new IllegalStateException(call + " failed: " + OpusNative.opus_strerror(error));
        }
    }

    private static void ctl(int result, String what) {
        if (result != OpusNative.OPUS_OK) {
            throw new IllegalStateException("opus_encoder_ctl " + what + " failed: " + OpusNative.opus_strerror(result));
        }
    }
}
