package io.trunkline.bench.engine;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.trunkline.engine.PacedLimiter;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The dial edge's CPS decision: {@link PacedLimiter#tryAcquire} (pacing plus the sliding-window guard) on one
 * thread, which is how the engine uses it (only the dispatcher thread asks), and on two threads contending for the
 * same limiter; Bucket4j's lock-free token bucket is the baseline in the same run. Both limiters are set to 100,000
 * per second, so most calls are refusals with a wait: the cost of deciding, which is what a queue pays per look.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-XX:+UseZGC"})
public class LimiterBenchmark {
    PacedLimiter paced;
    Bucket bucket;

    @Setup
    public void setUp() {
        paced = new PacedLimiter(100_000);
        bucket = Bucket.builder()
                .addLimit(Bandwidth.builder().capacity(100_000).refillGreedy(100_000, Duration.ofSeconds(1)).build())
                .build();
    }

    @Benchmark
    @Threads(1)
    public long pacedOneThread() {
        return paced.tryAcquire(System.nanoTime());
    }

    @Benchmark
    @Threads(2)
    public long pacedTwoThreadsContending() {
        return paced.tryAcquire(System.nanoTime());
    }

    @Benchmark
    @Threads(1)
    public boolean bucket4jOneThread() {
        return bucket.tryConsume(1);
    }

    @Benchmark
    @Threads(2)
    public boolean bucket4jTwoThreadsContending() {
        return bucket.tryConsume(1);
    }
}
