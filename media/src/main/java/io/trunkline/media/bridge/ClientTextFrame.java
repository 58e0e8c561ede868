package io.trunkline.media.bridge;

import io.netty.buffer.ByteBuf;

/**
 * Frames one complete text message as a client-to-server WebSocket frame (RFC 6455 §5.2: FIN, opcode 1, masked
 * payload) straight into a pooled buffer. The session writes these bytes below Netty's frame encoder, which passes
 * a ByteBuf through untouched: that saves the frame object and the encoder's second buffer on every 20 ms message.
 * Netty still does the handshake, reading, ping/pong and close frames.
 */
final class ClientTextFrame {
    private static final int FIN_TEXT = 0x81;
    private static final int MASKED = 0x80;

    private ClientTextFrame() {}

    /** The most bytes {@link #write} adds in front of a payload of {@code length}. */
    static int maxLength(int length) {
        return length + 14;
    }

    /** Appends the frame; {@code maskKey} must be unpredictable to intermediaries (a fresh random int per frame). */
    static void write(ByteBuf out, byte[] payload, int length, int maskKey) {
        out.writeByte(FIN_TEXT);
        if (length <= 125) {
            out.writeByte(MASKED | length);
        } else if (length <= 0xffff) {
            out.writeByte(MASKED | 126);
            out.writeShort(length);
        } else {
            out.writeByte(MASKED | 127);
            out.writeLong(length);
        }
        out.writeInt(maskKey);
        int i = 0;
        // four bytes at a time: the key is big-endian on the wire, as is writeInt
        for (; i + 4 <= length; i += 4) {
            int word = (payload[i] & 0xff) << 24 | (payload[i + 1] & 0xff) << 16 | (payload[i + 2] & 0xff) << 8 | (payload[i + 3] & 0xff);
            out.writeInt(word ^ maskKey);
        }
        for (; i < length; i++) {
            out.writeByte(payload[i] ^ (maskKey >>> (24 - 8 * (i & 3))));
        }
    }
}
