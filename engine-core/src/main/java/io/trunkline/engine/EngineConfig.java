package io.trunkline.engine;

import io.trunkline.sip.transaction.SipTimers;
import io.trunkline.sip.transport.TransportConfig;

import java.util.List;

/**
 * @param listen            the SIP sockets
 * @param trunks            at least one
 * @param globalCps         cap on call starts across all trunks (0 = only the trunks' caps)
 * @param globalConcurrency cap on live calls across all trunks (0 = only the trunks' caps)
 * @param queueCapacity     calls waiting to be dialled before dial() refuses with rate-limited
 * @param maxAttempts       INVITE attempts per call across back-pressure retries and failover (1..10)
 * @param callerIdCps       cap on call starts per caller ID, across all trunks (0 = none): carriers police per
 *                          source number too, and a campaign from one number must not trip it
 * @param media             RTP ports and the media path; null for a signalling-only engine (SIP load tests),
 *                          whose calls offer SDP but carry no audio
 * @param destinations      the toll-fraud guard (null = {@link DestinationPolicy#DEFAULT})
 * @param trunkHealth       when trunks go down and come back (null = {@link TrunkHealth#DEFAULT})
 * @param amd               the AMD parameters a call gets unless it sets its own (the {@code amd:} section);
 *                          a call's explicit settings are laid over these
 * @param maxQueueWaitSeconds how long a call may wait in the queue for its turn before it ends as failed with
 *                          "queue timeout" (0 = as long as it takes): overload is refused, not queued for ever.
 *                          Negative means the default, {@link #DEFAULT_MAX_QUEUE_WAIT_S}
 */
public record EngineConfig(TransportConfig listen, List<TrunkConfig> trunks, int globalCps, int globalConcurrency,
                           int queueCapacity, int maxAttempts, SipTimers timers, int callerIdCps,
                           io.trunkline.media.MediaConfig media, DestinationPolicy destinations, TrunkHealth trunkHealth,
                           io.trunkline.amd.AmdParameters amd, int maxQueueWaitSeconds) {
    public static final int DEFAULT_MAX_QUEUE_WAIT_S = 30;

    public EngineConfig(TransportConfig listen, List<TrunkConfig> trunks, int globalCps, int globalConcurrency,
                        int queueCapacity, int maxAttempts, SipTimers timers, int callerIdCps, io.trunkline.media.MediaConfig media) {
        this(listen, trunks, globalCps, globalConcurrency, queueCapacity, maxAttempts, timers, callerIdCps, media, null, null, null, -1);
    }

    public EngineConfig(TransportConfig listen, List<TrunkConfig> trunks, int globalCps, int globalConcurrency,
                        int queueCapacity, int maxAttempts, SipTimers timers) {
        this(listen, trunks, globalCps, globalConcurrency, queueCapacity, maxAttempts, timers, 0, null);
    }

    public EngineConfig(TransportConfig listen, List<TrunkConfig> trunks, int globalCps, int globalConcurrency,
                        int queueCapacity, int maxAttempts, SipTimers timers, int callerIdCps) {
        this(listen, trunks, globalCps, globalConcurrency, queueCapacity, maxAttempts, timers, callerIdCps, null);
    }

    public EngineConfig withQueueCapacity(int n) {
        return new EngineConfig(listen, trunks, globalCps, globalConcurrency, n, maxAttempts, timers, callerIdCps, media, destinations, trunkHealth, amd, maxQueueWaitSeconds);
    }

    public EngineConfig withMedia(io.trunkline.media.MediaConfig m) {
        return new EngineConfig(listen, trunks, globalCps, globalConcurrency, queueCapacity, maxAttempts, timers, callerIdCps, m, destinations, trunkHealth, amd, maxQueueWaitSeconds);
    }

    public EngineConfig withDestinations(DestinationPolicy d) { return new EngineConfig(listen, trunks, globalCps, globalConcurrency, queueCapacity, maxAttempts, timers, callerIdCps, media, d, trunkHealth, amd, maxQueueWaitSeconds); }

    public EngineConfig withAmd(io.trunkline.amd.AmdParameters a) { return new EngineConfig(listen, trunks, globalCps, globalConcurrency, queueCapacity, maxAttempts, timers, callerIdCps, media, destinations, trunkHealth, a, maxQueueWaitSeconds); }

    public EngineConfig withMaxQueueWait(int seconds) { return new EngineConfig(listen, trunks, globalCps, globalConcurrency, queueCapacity, maxAttempts, timers, callerIdCps, media, destinations, trunkHealth, amd, seconds); }

    public EngineConfig withTrunkHealth(TrunkHealth h) { return new EngineConfig(listen, trunks, globalCps, globalConcurrency, queueCapacity, maxAttempts, timers, callerIdCps, media, destinations, h, amd, maxQueueWaitSeconds); }

    public EngineConfig {
        if (callerIdCps < 0 || callerIdCps > 10_000) throw new IllegalArgumentException("limits.caller_id_cps must be 0..10000, got " + callerIdCps);
        if (trunks == null || trunks.isEmpty()) throw new IllegalArgumentException("trunks: at least one trunk is required");
        trunks = List.copyOf(trunks);
        if (trunks.stream().map(TrunkConfig::name).distinct().count() != trunks.size()) throw new IllegalArgumentException("trunks: names must be unique");
        if (globalCps < 0 || globalCps > 100_000) throw new IllegalArgumentException("limits.cps must be 0..100000, got " + globalCps);
        if (globalConcurrency < 0 || globalConcurrency > 1_000_000) throw new IllegalArgumentException("limits.concurrency must be 0..1000000, got " + globalConcurrency);
        if (queueCapacity < 1 || queueCapacity > 10_000_000) throw new IllegalArgumentException("limits.queue must be 1..10000000, got " + queueCapacity);
        if (maxAttempts < 1 || maxAttempts > 10) throw new IllegalArgumentException("limits.max_attempts must be 1..10, got " + maxAttempts);
        if (timers == null) timers = SipTimers.RFC3261;
        if (destinations == null) destinations = DestinationPolicy.DEFAULT;
        if (trunkHealth == null) trunkHealth = TrunkHealth.DEFAULT;
        if (amd == null) amd = io.trunkline.amd.AmdParameters.defaults();
        if (maxQueueWaitSeconds < 0) maxQueueWaitSeconds = DEFAULT_MAX_QUEUE_WAIT_S;
        if (maxQueueWaitSeconds > 86_400) throw new IllegalArgumentException("limits.max_queue_wait_s must be 0..86400, got " + maxQueueWaitSeconds);
    }

    public static EngineConfig of(TransportConfig listen, List<TrunkConfig> trunks) {
        return new EngineConfig(listen, trunks, 0, 0, 10_000, 3, SipTimers.RFC3261);
    }
}
