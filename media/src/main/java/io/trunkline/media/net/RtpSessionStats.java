package io.trunkline.media.net;

/**
 * A point-in-time view of one session's counters.
 *
 * @param received            RTP datagrams that reached the socket (valid or not)
 * @param malformed           not RTP (or oversize): dropped
 * @param wrongPayloadType    RTP with a payload type that was not negotiated: dropped
 * @param unlatched           from a source other than the latched one, or before start: dropped (while the socket
 *                            is connected to the latched source the kernel drops other sources' packets unseen)
 * @param ringFull            valid packets dropped because the media ring was full
 * @param rtcpForeign         RTCP from a host other than the media peer's: dropped
 * @param expected            RFC 3550 A.3 expected packets of the current source
 * @param cumulativeLost      RFC 3550 A.3 cumulative packets lost (what our report blocks carry)
 * @param rxJitterMs          RFC 3550 A.8 interarrival jitter of the received stream
 * @param jitterDepth         frames in the jitter buffer now
 * @param jitterTarget        the jitter buffer's target depth in frames
 * @param consumerDrops       frames dropped across this session's consumers
 * @param playoutDroppedWrites outbound writes refused because the playout queue was full
 * @param sendDropped         outbound packets dropped because the socket's event loop was 8 packets behind
 */
public record RtpSessionStats(long received, long malformed, long wrongPayloadType, long unlatched, long ringFull,
                              long relatches, long sent, long octetsSent, long rtcpReceived, long rtcpMalformed,
                              long rtcpForeign, long rtcpSent, long expected, int cumulativeLost, double rxJitterMs,
                              int jitterDepth, int jitterTarget, long played, long late, long duplicates,
                              long discarded, long lost, long concealed, long resyncs,
                              long consumerDrops, long playoutDroppedWrites, long sendDropped) {}
