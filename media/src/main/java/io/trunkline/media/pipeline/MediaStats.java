package io.trunkline.media.pipeline;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/** Engine-wide media counters, incremented on the hot paths without allocation or contention. */
public final class MediaStats {
    public final AtomicInteger openSessions = new AtomicInteger();
    public final LongAdder packetsReceived = new LongAdder();
    public final LongAdder packetsSent = new LongAdder();
    /** Not RTP, or RTP with a payload type the session did not negotiate, or oversize. */
    public final LongAdder droppedMalformed = new LongAdder();
    /** From a source other than the latched one (or before the session started). */
    public final LongAdder droppedUnlatched = new LongAdder();
    /** Frames a consumer was too far behind to take. */
    public final LongAdder droppedConsumerFull = new LongAdder();
    public final LongAdder rtcpReceived = new LongAdder();
    public final LongAdder rtcpMalformed = new LongAdder();
    public final LongAdder inactivityTimeouts = new LongAdder();
    /** Packet handed to the socket minus its 20 ms deadline. */
    public final SendTimeHistogram sendTime = new SendTimeHistogram();
    /** A session's tick start minus its deadline (the clock's own share of {@link #sendTime}). */
    public final SendTimeHistogram tickLateness = new SendTimeHistogram();
}
