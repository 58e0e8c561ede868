package io.trunkline.media.pipeline;

import io.netty.channel.EventLoop;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The sessions that queued RTP during one pass of a clock shard, flushed at the end of the pass with one task per
 * event loop. Handing each session's flush to its loop separately cost a cross-thread wake-up per packet: profiled,
 * that made a pass over 100 sessions take ~2.5 ms and left packets late. Lives on the clock thread (a thread-local
 * installed by the shard); off a clock thread (tests ticking a session by hand) there is none and sessions flush
 * themselves. Allocates per pass and loop, never per packet.
 */
public final class PassFlush {
    private static final ThreadLocal<PassFlush> CURRENT = new ThreadLocal<>();

    private final Map<EventLoop, List<Runnable>> byLoop = new IdentityHashMap<>();

    private PassFlush() {}

    /** The calling clock thread's batch, or null off a clock thread. */
    public static PassFlush current() { return CURRENT.get(); }

    static void install() { CURRENT.set(new PassFlush()); }

    /** Queues a session's flush for the end of this pass. */
    public void add(EventLoop loop, Runnable flush) {
        byLoop.computeIfAbsent(loop, l -> new ArrayList<>()).add(flush);
    }

    /** One task per event loop runs every flush queued in this pass, in tick order. */
    void dispatch() {
        if (byLoop.isEmpty()) return;
        for (Map.Entry<EventLoop, List<Runnable>> e : byLoop.entrySet()) {
            Runnable[] flushes = e.getValue().toArray(new Runnable[0]);
            e.getKey().execute(() -> {
                for (Runnable f : flushes) f.run();
            });
        }
        byLoop.clear();
    }
}
