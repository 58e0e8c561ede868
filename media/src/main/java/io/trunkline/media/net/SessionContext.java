package io.trunkline.media.net;

import io.trunkline.media.pipeline.MediaClock;
import io.trunkline.media.pipeline.MediaStats;
import io.trunkline.media.pipeline.PacketRing;
import java.net.InetAddress;
import java.util.concurrent.Executor;

/**
 * What every {@link RtpSession} shares: the engine's transport, ports, ring, clock, consumer pool and counters, and
 * the per-session settings (already validated by the engine's configuration).
 *
 * @param inactivityTimeoutNanos no RTP for this long after start fires {@link RtpSession.Listener#onInactive}; 0 off
 * @param relatchAfterNanos      the latched source must have been silent this long before another may take over
 * @param rtcpIntervalNanos      mean RTCP report interval (each interval is randomised to 0.5..1.5 of it)
 */
public record SessionContext(MediaTransport transport, RtpPortPool ports, PacketRing ring, MediaClock clock,
                             Executor consumerExecutor, MediaStats stats, InetAddress bindAddress,
                             int jitterMinMs, int jitterMaxMs, int playoutCapacitySamples, int consumerQueueFrames,
                             long inactivityTimeoutNanos, long relatchAfterNanos, long rtcpIntervalNanos) {}
