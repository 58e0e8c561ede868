package io.trunkline.media.pipeline;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * A preallocated ring slot: one received datagram copied out of Netty's buffer so the buffer goes back to its pool
 * at once. {@link #view()} wraps {@link #data} (allocated once) so the RTP header readers work on it in place.
 */
public final class PacketEvent {
    /** Largest datagram the media path accepts: an Ethernet MTU payload with room to spare. */
    public static final int MAX_DATAGRAM = 2048;

    final byte[] data = new byte[MAX_DATAGRAM];
    private final ByteBuf view = Unpooled.wrappedBuffer(data);
    int length;
    long arrivalNanos;
    PacketSink sink;

    public byte[] data() { return data; }

    public int length() { return length; }

    public long arrivalNanos() { return arrivalNanos; }

    /** The datagram as a ByteBuf over {@link #data} with reader index 0 and {@link #length()} readable bytes. */
    public ByteBuf view() {
        view.setIndex(0, length);
        return view;
    }
}
