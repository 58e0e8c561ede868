package io.trunkline.media;

/**
 * Engine-wide media counters for an integrator's metrics.
 *
 * @param openSessions        sessions opened and not yet closed
 * @param portPairsInUse      RTP/RTCP pairs held from the pool
 * @param packetsReceived     RTP datagrams received on all sessions
 * @param packetsSent         RTP packets sent
 * @param droppedMalformed    not RTP, oversize, or an unnegotiated payload type
 * @param droppedUnlatched    from a source other than the latched one (or before start)
 * @param droppedRingFull     dropped because the media ring was full
 * @param droppedConsumerFull frames a slow consumer could not take
 * @param lateSends           RTP packets sent more than 5 ms after their deadline
 * @param sendErrorP99Micros  99th percentile of send time minus deadline (250 µs resolution)
 * @param tickLateP99Micros   99th percentile of a session's tick start minus deadline (the clock's share)
 * @param inactivityTimeouts  sessions that reported media inactivity
 */
public record MediaCounters(int openSessions, int portPairsInUse, long packetsReceived, long packetsSent,
                            long droppedMalformed, long droppedUnlatched, long droppedRingFull,
                            long droppedConsumerFull, long lateSends, long sendErrorP99Micros, long tickLateP99Micros,
                            long rtcpReceived, long rtcpMalformed, long inactivityTimeouts) {}
