package io.trunkline.media;

import io.netty.util.concurrent.DefaultThreadFactory;
import io.trunkline.media.net.MediaTransport;
import io.trunkline.media.net.RtpPortPool;
import io.trunkline.media.net.RtpSession;
import io.trunkline.media.net.SessionContext;
import io.trunkline.media.pipeline.MediaClock;
import io.trunkline.media.pipeline.MediaStats;
import io.trunkline.media.pipeline.PacketRing;
import io.trunkline.media.pipeline.WorkerPool;

/**
 * The media side of the engine: one per process. Owns the UDP transport, the port pool, the receive ring, the 20 ms
 * clock and the consumer pool that all calls share, and opens an {@link RtpSession} per call.
 */
public final class MediaEngine implements AutoCloseable {
    private final MediaConfig config;
    private final MediaStats stats = new MediaStats();
    private final RtpPortPool ports;
    private final MediaTransport transport;
    private final PacketRing ring;
    private final MediaClock clock;
    private final WorkerPool consumers;
    private final SessionContext context;

    public MediaEngine(MediaConfig config) {
        this.config = config;
        this.ports = new RtpPortPool(config.portMin(), config.portMax());
        this.transport = new MediaTransport(config.ioThreads(), config.receiveBufferBytes());
        this.ring = new PacketRing(config.ringSize(), new DefaultThreadFactory("media-ring", true, Thread.MAX_PRIORITY));
        this.clock = new MediaClock(config.clockThreads());
        // Each consumer tap is queued at most once at a time, so a few slots per possible session are enough.
        this.consumers = new WorkerPool("media-consumer", config.consumerThreads(),
                Math.min(1 << 20, ports.capacity() * 8 + 64));
        this.context = new SessionContext(transport, ports, ring, clock, consumers, stats, config.bindAddress(),
                config.jitterMinMs(), config.jitterMaxMs(), config.playoutCapacityMs() * 8, config.consumerQueueFrames(),
                config.inactivityTimeout().toNanos(), config.relatchAfter().toNanos(), config.rtcpInterval().toNanos());
    }

    /** Binds a port pair for a call; start it with {@link RtpSession#start} once the SDP answer is known. */
    public RtpSession openSession(String callId, RtpSession.Listener listener) {
        return RtpSession.open(callId, context, listener);
    }

    public MediaConfig config() { return config; }

    public RtpPortPool ports() { return ports; }

    public boolean epoll() { return transport.isEpoll(); }

    public int openSessions() { return stats.openSessions.get(); }

    /** Sessions the clock is ticking. */
    public int clockedSessions() { return clock.tasks(); }

    public MediaCounters counters() {
        return new MediaCounters(stats.openSessions.get(), ports.inUse(), stats.packetsReceived.sum(),
                stats.packetsSent.sum(), stats.droppedMalformed.sum(), stats.droppedUnlatched.sum(),
                ring.droppedFull(), stats.droppedConsumerFull.sum(), stats.sendTime.lateOver5ms(),
                stats.sendTime.quantileMicros(0.99), stats.tickLateness.quantileMicros(0.99), stats.rtcpReceived.sum(), stats.rtcpMalformed.sum(),
                stats.inactivityTimeouts.sum());
    }

    /** Stops the shared threads. Sessions should be closed first; their sockets close with the transport. */
    @Override
    public void close() {
        clock.close();
        transport.close();
        ring.close();
        consumers.close();
    }
}
