package io.trunkline.bench.media;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.trunkline.media.pipeline.PacketRing;
import io.trunkline.media.pipeline.PacketSink;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Ring hand-off latency: the publishing thread copies a 172-byte RTP datagram into the ring and waits until the
 * handler thread has run for it. The handler idles on the blocking wait strategy, as in production, so each
 * operation includes waking it.
 */
@State(Scope.Benchmark)
@BenchmarkMode({Mode.AverageTime, Mode.SampleTime})
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class RingHandoffBenchmark {
    private PacketRing ring;
    private ByteBuf datagram;
    private volatile long handled;
    private long published;
    private final PacketSink sink = e -> handled = e.arrivalNanos();

    @Setup
    public void setup() {
        ring = new PacketRing(16_384, new DefaultThreadFactory("bench-ring", true));
        datagram = Unpooled.directBuffer(172).writeZero(172);
    }

    @TearDown
    public void teardown() {
        ring.close();
        datagram.release();
    }

    @Benchmark
    public long publishToHandler() {
        long id = ++published;
        if (!ring.offer(sink, datagram, id)) throw new IllegalStateException("ring full");
        while (handled != id) Thread.onSpinWait();
        return id;
    }

}
