package io.trunkline.bench.amd;

import io.trunkline.amd.vad.WebRtcVad;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/** WebRTC VAD (libfvad through JNA direct mapping): 20 ms frames at 8 kHz classified per second. */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class VadBenchmark {

    private static final int FRAMES = 250;

    @Param({"2"})
    public int mode;

    private WebRtcVad vad;
    private short[][] frames;
    private int next;

    @Setup
    public void open() {
        vad = new WebRtcVad(mode, 8000);
        short[] pcm = AmdSignals.speechLike(FRAMES, 1);
        frames = new short[FRAMES][160];
        for (int f = 0; f < FRAMES; f++) {
            System.arraycopy(pcm, f * 160, frames[f], 0, 160);
        }
    }

    @TearDown
    public void close() {
        vad.close();
    }

    @Benchmark
    public boolean frame() {
        short[] f = frames[next];
        next = next + 1 == FRAMES ? 0 : next + 1;
        return vad.isVoice(f, 160);
    }
}
