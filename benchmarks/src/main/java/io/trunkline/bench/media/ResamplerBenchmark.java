package io.trunkline.bench.media;

import io.trunkline.audio.Resampler;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** Streaming resampler cost per 20 ms frame, in µs (polyphase Kaiser, 80 dB). */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class ResamplerBenchmark {

    private static final int FRAMES = 50;

    @Param({"8000:48000", "48000:8000", "8000:16000"})
    public String rates;

    private Resampler resampler;
    private short[][] frames;
    private short[] out;
    private int frameSamples;
    private int next;

    @Setup
    public void setUp() {
        int from = Integer.parseInt(rates.substring(0, rates.indexOf(':')));
        int to = Integer.parseInt(rates.substring(rates.indexOf(':') + 1));
        frameSamples = from / 50;
        resampler = new Resampler(from, to, frameSamples);
        out = new short[resampler.maxOutputSamples(frameSamples)];
        short[] pcm = SpeechLike.samples(from, frameSamples * FRAMES, 2);
        frames = new short[FRAMES][frameSamples];
        for (int f = 0; f < FRAMES; f++) {
            System.arraycopy(pcm, f * frameSamples, frames[f], 0, frameSamples);
        }
    }

    @Benchmark
    public short frame() {
        int f = next;
        next = f + 1 == FRAMES ? 0 : f + 1;
        resampler.process(frames[f], 0, frameSamples, out, 0);
        return out[5];
    }
}
