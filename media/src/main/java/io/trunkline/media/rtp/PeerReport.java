package io.trunkline.media.rtp;

/**
 * What the peer's RTCP told us: its report about our stream (loss, jitter, round trip) and the timing of its last
 * SR (which our next report echoes as LSR/DLSR). Mutable and filled in place on the I/O thread; readers take a
 * {@link Snapshot}.
 */
public final class PeerReport {
    /** An immutable view for callers; {@code rttMicros} is -1 until a report echoed one of our SRs. */
    public record Snapshot(long reports, int fractionLost, int cumulativeLost, long extendedHighestSeq,
                           long jitter, long rttMicros, long senderReports, boolean bye) {
        /** The peer's fraction lost as a ratio 0..1. */
        public double lossRatio() { return fractionLost / 256.0; }
    }

    private long reports;
    private int fractionLost;
    private int cumulativeLost;
    private long extendedHighestSeq;
    private long jitter;
    private long rttMicros = -1;
    private long senderReports;
    private long lastSrMiddle;
    private long lastSrArrivalNanos;
    private boolean bye;

    synchronized void senderReport(long ntpMiddle, long arrivalNanos) {
        senderReports++;
        lastSrMiddle = ntpMiddle;
        lastSrArrivalNanos = arrivalNanos;
    }

    synchronized void receiverReport(int fraction, int cumulative, long extHighest, long jitter, long rttMicros) {
        reports++;
        this.fractionLost = fraction;
        this.cumulativeLost = cumulative;
        this.extendedHighestSeq = extHighest;
        this.jitter = jitter;
        if (rttMicros >= 0) this.rttMicros = rttMicros;
    }

    synchronized void bye() { bye = true; }

    /** LSR for our next report block: the middle 32 bits of the peer's last SR NTP time, 0 if none. */
    public synchronized long lastSrMiddle() { return lastSrMiddle; }

    public synchronized long lastSrArrivalNanos() { return lastSrArrivalNanos; }

    public synchronized boolean byeReceived() { return bye; }

    public synchronized Snapshot snapshot() {
        return new Snapshot(reports, fractionLost, cumulativeLost, extendedHighestSeq, jitter, rttMicros,
                senderReports, bye);
    }
}
