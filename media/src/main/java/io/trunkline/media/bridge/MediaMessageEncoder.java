package io.trunkline.media.bridge;

import io.trunkline.audio.G711;
import java.nio.charset.StandardCharsets;

/**
 * Writes the Media Streams {@code media} message for one frame of callee audio into a reusable byte array, without
 * allocating: 50 of these per second per call is the bridge's hot path. Every value it writes is ASCII that needs no
 * JSON escaping (digits, base64, a stream id this class was given and checked), so it can skip a general JSON writer.
 *
 * <p>Not thread-safe: one per session, used from the media thread that calls {@code onAudio}.
 */
final class MediaMessageEncoder {
    private static final byte[] ALPHABET = ascii("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/");
    private static final byte[] HEAD = ascii("{\"event\":\"media\",\"sequenceNumber\":\"");
    private static final byte[] CHUNK = ascii("\",\"media\":{\"track\":\"inbound\",\"chunk\":\"");
    private static final byte[] TIMESTAMP = ascii("\",\"timestamp\":\"");
    private static final byte[] PAYLOAD = ascii("\",\"payload\":\"");
    private static final byte[] TAIL = ascii("\"}}");
    private static final int MAX_DIGITS = 20;

    private final byte[] streamSidPart;
    private byte[] ulaw;
    private byte[] message;

    MediaMessageEncoder(String streamSid, int samplesPerFrame) {
        if (!streamSid.chars().allMatch(c -> c >= '0' && c <= '9' || c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z')) {
            throw new IllegalArgumentException("streamSid: must be ASCII letters and digits, got " + streamSid);
        }
        this.streamSidPart = ascii("\",\"streamSid\":\"" + streamSid);
        size(samplesPerFrame);
    }

    /** Encodes {@code samples} PCM samples as μ-law into the message; returns its length in {@link #bytes()}. */
    int encode(long sequenceNumber, long chunk, long timestampMs, short[] pcm, int samples) {
        if (samples > ulaw.length) size(samples);
        for (int i = 0; i < samples; i++) ulaw[i] = G711.linearToUlaw(pcm[i]);
        byte[] m = message;
        int p = put(m, 0, HEAD);
        p = putDecimal(m, p, sequenceNumber);
        p = put(m, p, streamSidPart);
        p = put(m, p, CHUNK);
        p = putDecimal(m, p, chunk);
        p = put(m, p, TIMESTAMP);
        p = putDecimal(m, p, timestampMs);
        p = put(m, p, PAYLOAD);
        p = putBase64(m, p, ulaw, samples);
        return put(m, p, TAIL);
    }

    /** The longest message for a frame of the size this encoder was made for. */
    int capacity() {
        return message.length;
    }

    /** The message written by the last {@link #encode}; valid until the next call. */
    byte[] bytes() {
        return message;
    }

    /**
     * RFC 4648 base64 with padding of {@code src[0, length)}. java.util.Base64 only encodes whole arrays without
     * allocating, and a frame may be shorter than the scratch array.
     */
    static int putBase64(byte[] dst, int at, byte[] src, int length) {
        int p = at;
        int i = 0;
        for (; i + 3 <= length; i += 3) {
            int bits = (src[i] & 0xff) << 16 | (src[i + 1] & 0xff) << 8 | (src[i + 2] & 0xff);
            dst[p++] = ALPHABET[bits >>> 18];
            dst[p++] = ALPHABET[bits >>> 12 & 0x3f];
            dst[p++] = ALPHABET[bits >>> 6 & 0x3f];
            dst[p++] = ALPHABET[bits & 0x3f];
        }
        int rest = length - i;
        if (rest > 0) {
            int bits = (src[i] & 0xff) << 16 | (rest == 2 ? (src[i + 1] & 0xff) << 8 : 0);
            dst[p++] = ALPHABET[bits >>> 18];
            dst[p++] = ALPHABET[bits >>> 12 & 0x3f];
            dst[p++] = rest == 2 ? ALPHABET[bits >>> 6 & 0x3f] : (byte) '=';
            dst[p++] = '=';
        }
        return p;
    }

    private void size(int samples) {
        ulaw = new byte[samples];
        message = new byte[HEAD.length + streamSidPart.length + CHUNK.length + TIMESTAMP.length + PAYLOAD.length
                + TAIL.length + 3 * MAX_DIGITS + 4 * ((samples + 2) / 3)];
    }

    private static int put(byte[] dst, int at, byte[] src) {
        System.arraycopy(src, 0, dst, at, src.length);
        return at + src.length;
    }

    /** Non-negative decimal, most significant digit first, without a String on the way. */
    static int putDecimal(byte[] dst, int at, long value) {
        if (value < 0) throw new IllegalArgumentException("value: must be >= 0, got " + value);
        int digits = 1;
        for (long v = value; v >= 10; v /= 10) digits++;
        for (int i = at + digits - 1; i >= at; i--) {
            dst[i] = (byte) ('0' + value % 10);
            value /= 10;
        }
        return at + digits;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
