package io.trunkline.bench.media;

import io.trunkline.media.codec.G711Codec;
import io.trunkline.media.jitter.JitterBuffer;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * One packet through the jitter buffer: insert a 20 ms PCMU packet, pull (and decode) one frame. Every 50th packet
 * is withheld and delivered two packets late, so reordering and the slot bookkeeping are exercised too.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class JitterBufferBenchmark {
    private JitterBuffer jb;
    private final byte[] payload = new byte[160];
    private final short[] pcm = new short[160];
    private int seq;
    private long ts;
    private long arrival;

    @Setup
    public void setup() {
        jb = new JitterBuffer(G711Codec.PCMU, 40, 200, 1500);
        for (int i = 0; i < payload.length; i++) payload[i] = (byte) (i * 7);
        for (int i = 0; i < 4; i++) insertPull();
    }

    @Benchmark
    public JitterBuffer.Frame insertPull() {
        int s = seq++;
        if (s % 50 == 0) {
            // hold this one back; it is inserted after the next two
        } else if (s % 50 == 2) {
            jb.insert(7, (s - 2) & 0xffff, ts - 320, payload, 0, 160, arrival, false);
            jb.insert(7, s & 0xffff, ts, payload, 0, 160, arrival, false);
        } else {
            jb.insert(7, s & 0xffff, ts, payload, 0, 160, arrival, false);
        }
        ts += 160;
        arrival += 20_000_000L;
        return jb.pull(pcm);
    }
}
