package io.trunkline.engine.media;

import io.trunkline.media.net.RtpSession;
import io.trunkline.media.net.RtpSessionStats;
import io.trunkline.media.rtp.PeerReport;

/**
 * A call's media figures for its CDR: what we sent and received, the loss and interarrival jitter we measured on
 * the callee's stream (RFC 3550 A.3, A.8), what the far end reported about ours in its RTCP, and how much the
 * jitter buffer had to conceal.
 *
 * @param codec            the negotiated encoding name, or null when media never started
 * @param lossPercent      packets lost of those expected from the callee, percent
 * @param peerLossPercent  the callee's last RTCP report of our stream's loss (fraction lost), percent; -1 if none came
 * @param rttMs            round trip from the callee's RTCP (LSR/DLSR), ms; -1 if unknown
 * @param firstAudioAtMs   when the first audio for the callee (the assistant's or a prompt) was queued, epoch ms; 0 if none
 */
public record MediaQuality(String codec, long rtpSent, long rtpReceived, long lost, double lossPercent, double jitterMs,
                           double peerLossPercent, double rttMs, long concealedFrames, long firstAudioAtMs) {

    static MediaQuality of(String codec, RtpSession session) {
        RtpSessionStats s = session.stats();
        PeerReport.Snapshot p = session.peerReport();
        long first = session.output().firstAudioAtMillis();
        double loss = s.expected() <= 0 ? 0 : 100.0 * Math.max(0, s.cumulativeLost()) / s.expected();
        return new MediaQuality(codec, s.sent(), s.received(), Math.max(0, s.cumulativeLost()), round(loss), round(s.rxJitterMs()),
                p.reports() == 0 ? -1 : round(100 * p.lossRatio()), p.rttMicros() <= 0 ? -1 : round(p.rttMicros() / 1000.0),
                s.concealed(), first);
    }

    private static double round(double v) { return Math.round(v * 100) / 100.0; }
}
