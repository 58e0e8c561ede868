package io.trunkline.media;

import java.net.InetAddress;
import java.time.Duration;
import java.util.Objects;

/**
 * Media engine settings, validated on construction with errors that name the field and its allowed range.
 *
 * @param bindAddress          local address the RTP/RTCP sockets bind to
 * @param portMin              lowest RTP port (even)
 * @param portMax              highest port of the range
 * @param ioThreads            Netty event loop threads for all media sockets
 * @param receiveBufferBytes   SO_RCVBUF per socket
 * @param ringSize             slots of the receive ring (power of two)
 * @param clockThreads         20 ms clock shards
 * @param consumerThreads      threads draining consumer queues
 * @param consumerQueueFrames  frames a consumer may fall behind before its frames are dropped
 * @param jitterMinMs          jitter buffer lowest target depth
 * @param jitterMaxMs          jitter buffer highest target depth
 * @param playoutCapacityMs    outbound audio a session queues at most
 * @param inactivityTimeout    no RTP for this long ends the call's media (zero disables)
 * @param relatchAfter         silence of the latched source before another source may take over
 * @param rtcpInterval         mean RTCP report interval
 */
public record MediaConfig(InetAddress bindAddress, int portMin, int portMax, int ioThreads, int receiveBufferBytes,
                          int ringSize, int clockThreads, int consumerThreads, int consumerQueueFrames,
                          int jitterMinMs, int jitterMaxMs, int playoutCapacityMs, Duration inactivityTimeout,
                          Duration relatchAfter, Duration rtcpInterval) {

    public MediaConfig {
        Objects.requireNonNull(bindAddress, "media.bindAddress");
        if (portMin < 1024 || portMin > 65532 || (portMin & 1) != 0) {
            throw new IllegalArgumentException("media.portMin=" + portMin + ": must be even and in 1024..65532");
        }
        range("media.portMax", portMax, portMin + 1, 65535);
        range("media.receiveBufferBytes", receiveBufferBytes, 8192, 16 << 20);
        if (ringSize < 64 || ringSize > 1 << 20 || Integer.bitCount(ringSize) != 1) {
            throw new IllegalArgumentException("media.ringSize=" + ringSize + ": must be a power of two in 64..1048576");
        }
        range("media.jitterMinMs", jitterMinMs, 20, 1_000);
        range("media.jitterMaxMs", jitterMaxMs, jitterMinMs, 1_000);
        range("media.ioThreads", ioThreads, 1, 64);
        range("media.clockThreads", clockThreads, 1, 64);
        range("media.consumerThreads", consumerThreads, 1, 256);
        range("media.consumerQueueFrames", consumerQueueFrames, 1, 1_000);
        range("media.playoutCapacityMs", playoutCapacityMs, 20, 60_000);
        positiveOrZero("media.inactivityTimeout", inactivityTimeout, Duration.ofHours(1));
        positiveOrZero("media.relatchAfter", relatchAfter, Duration.ofMinutes(1));
        positiveOrZero("media.rtcpInterval", rtcpInterval, Duration.ofMinutes(1));
        if (rtcpInterval.toMillis() < 100) {
            throw new IllegalArgumentException("media.rtcpInterval=" + rtcpInterval + ": must be in 100ms..1m");
        }
    }

    /** Defaults for a range: 2 I/O threads, 4 MiB receive buffers, 16384-slot ring, 2 clock shards, 60 s timeout. */
    public static MediaConfig defaults(InetAddress bindAddress, int portMin, int portMax) {
        return new MediaConfig(bindAddress, portMin, portMax, 2, 4 << 20, 16_384, 2, 2, 50, 40, 200, 10_000,
                Duration.ofSeconds(60), Duration.ofSeconds(1), Duration.ofSeconds(5));
    }

    /** I/O event loops and 20 ms clock shards (each 1..64): on a small machine fewer threads wait less for a core. */
    public MediaConfig withThreads(int io, int clock) {
        return new MediaConfig(bindAddress, portMin, portMax, io, receiveBufferBytes, ringSize, clock,
                consumerThreads, consumerQueueFrames, jitterMinMs, jitterMaxMs, playoutCapacityMs, inactivityTimeout,
                relatchAfter, rtcpInterval);
    }

    public MediaConfig withInactivityTimeout(Duration d) {
        return new MediaConfig(bindAddress, portMin, portMax, ioThreads, receiveBufferBytes, ringSize, clockThreads,
                consumerThreads, consumerQueueFrames, jitterMinMs, jitterMaxMs, playoutCapacityMs, d, relatchAfter,
                rtcpInterval);
    }

    public MediaConfig withRelatchAfter(Duration d) {
        return new MediaConfig(bindAddress, portMin, portMax, ioThreads, receiveBufferBytes, ringSize, clockThreads,
                consumerThreads, consumerQueueFrames, jitterMinMs, jitterMaxMs, playoutCapacityMs, inactivityTimeout,
                d, rtcpInterval);
    }

    public MediaConfig withRtcpInterval(Duration d) {
        return new MediaConfig(bindAddress, portMin, portMax, ioThreads, receiveBufferBytes, ringSize, clockThreads,
                consumerThreads, consumerQueueFrames, jitterMinMs, jitterMaxMs, playoutCapacityMs, inactivityTimeout,
                relatchAfter, d);
    }

    public MediaConfig withConsumerQueueFrames(int frames) {
        return new MediaConfig(bindAddress, portMin, portMax, ioThreads, receiveBufferBytes, ringSize, clockThreads,
                consumerThreads, frames, jitterMinMs, jitterMaxMs, playoutCapacityMs, inactivityTimeout,
                relatchAfter, rtcpInterval);
    }

    private static void range(String field, int v, int min, int max) {
        if (v < min || v > max) {
            throw new IllegalArgumentException(field + "=" + v + ": must be in " + min + ".." + max);
        }
    }

    private static void positiveOrZero(String field, Duration d, Duration max) {
        Objects.requireNonNull(d, field);
        if (d.isNegative() || d.compareTo(max) > 0) {
            throw new IllegalArgumentException(field + "=" + d + ": must be in 0.." + max);
        }
    }
}
