package io.trunkline.media.rtp;

import io.netty.buffer.ByteBuf;

/**
 * RFC 3550 §5.1 fixed header, read and written in place on a {@link ByteBuf} so that the receive and send paths
 * never allocate a packet object. Offsets are relative to the buffer's reader index (reads) or to {@code offset}
 * (writes).
 */
public final class RtpPacket {
    public static final int FIXED_HEADER = 12;
    public static final int VERSION = 2;

    private RtpPacket() {}

    /**
     * Checks the header and returns the offset of the payload from the reader index, or -1 when the datagram is not
     * a usable RTP packet (short, wrong version, CSRC list or extension running past the end, padding larger than
     * the payload). RTCP (payload types 72..76 with the marker bit, RFC 5761 §4) is rejected here too.
     */
    public static int payloadOffset(ByteBuf buf) {
        int r = buf.readerIndex();
        int len = buf.readableBytes();
        if (len < FIXED_HEADER) return -1;
        int b0 = buf.getUnsignedByte(r);
        if ((b0 >>> 6) != VERSION) return -1;
        int pt = buf.getUnsignedByte(r + 1) & 0x7f;
        if (pt >= 72 && pt <= 76) return -1;
        int offset = FIXED_HEADER + 4 * (b0 & 0x0f);
        if (offset > len) return -1;
        if ((b0 & 0x10) != 0) {
            if (offset + 4 > len) return -1;
            offset += 4 + 4 * buf.getUnsignedShort(r + offset + 2);
            if (offset > len) return -1;
        }
        if ((b0 & 0x20) != 0) {
            int pad = buf.getUnsignedByte(r + len - 1);
            if (pad == 0 || offset + pad > len) return -1;
        }
        return offset;
    }

    /** Payload length given the offset from {@link #payloadOffset}, net of padding. */
    public static int payloadLength(ByteBuf buf, int payloadOffset) {
        int r = buf.readerIndex();
        int len = buf.readableBytes();
        int pad = (buf.getUnsignedByte(r) & 0x20) != 0 ? buf.getUnsignedByte(r + len - 1) : 0;
        return len - payloadOffset - pad;
    }

    public static int payloadType(ByteBuf buf) { return buf.getUnsignedByte(buf.readerIndex() + 1) & 0x7f; }

    public static boolean marker(ByteBuf buf) { return (buf.getUnsignedByte(buf.readerIndex() + 1) & 0x80) != 0; }

    public static int sequence(ByteBuf buf) { return buf.getUnsignedShort(buf.readerIndex() + 2); }

    /** The 32-bit timestamp as an unsigned value in a long. */
    public static long timestamp(ByteBuf buf) { return buf.getUnsignedInt(buf.readerIndex() + 4); }

    /** The 32-bit SSRC as an unsigned value in a long. */
    public static long ssrc(ByteBuf buf) { return buf.getUnsignedInt(buf.readerIndex() + 8); }

    /**
     * Writes a 12-byte header (no CSRC, no extension, no padding) at {@code offset} and returns the payload offset.
     */
    public static int writeHeader(ByteBuf buf, int offset, int payloadType, boolean marker, int sequence,
                                  long timestamp, long ssrc) {
        buf.setByte(offset, VERSION << 6);
        buf.setByte(offset + 1, (marker ? 0x80 : 0) | (payloadType & 0x7f));
        buf.setShort(offset + 2, sequence);
        buf.setInt(offset + 4, (int) timestamp);
        buf.setInt(offset + 8, (int) ssrc);
        return offset + FIXED_HEADER;
    }
}
