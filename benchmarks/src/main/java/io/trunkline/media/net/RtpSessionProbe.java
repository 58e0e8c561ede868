package io.trunkline.media.net;

/**
 * Benchmark access to one session's per-packet entry point (the clock's tick) and its receive count,
 * which are package-private in the media module. Lives in the benchmarks module only.
 */
public final class RtpSessionProbe {
    private final RtpSession session;

    /** Takes the session off the media clock: the harness ticks it. */
    public RtpSessionProbe(RtpSession session) {
        this.session = session;
        session.detachFromClock();
    }

    /** Packets the session has filed in its jitter buffer so far: the receive path's last step. */
    public long filed() { return session.filedCount(); }

    public void tick(long deadlineNanos) { session.tick(deadlineNanos); }

    public boolean writable() { return session.rtpWritable(); }
}
