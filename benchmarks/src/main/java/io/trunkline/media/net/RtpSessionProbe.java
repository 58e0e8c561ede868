package io.trunkline.media.net;

import io.netty.buffer.ByteBuf;
import java.net.InetSocketAddress;

/**
 * Benchmark access to one session's per-packet entry points (the I/O thread's receive step and the clock's tick),
 * which are package-private in the media module. Lives in the benchmarks module only.
 */
public final class RtpSessionProbe {
    private final RtpSession session;

    /** Takes the session off the media clock: the harness ticks it. */
    public RtpSessionProbe(RtpSession session) {
        this.session = session;
        session.detachFromClock();
    }

    public void receive(ByteBuf datagram, InetSocketAddress sender, long nowNanos) {
        session.onRtpDatagram(datagram, sender, nowNanos);
    }

    public void tick(long deadlineNanos) { session.tick(deadlineNanos); }

    public boolean writable() { return session.rtpWritable(); }
}
