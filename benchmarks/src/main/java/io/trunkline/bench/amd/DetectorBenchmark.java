package io.trunkline.bench.amd;

import io.trunkline.amd.AmdListener;
import io.trunkline.amd.AmdParameters;
import io.trunkline.amd.AnsweringMachineDetector;
import java.util.List;
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
import org.openjdk.jmh.infra.Blackhole;

/**
 * The whole detector (VAD, word/silence state machine, Goertzel beep bank) per 20 ms frame, with every frame
 * taking the full path: the limits are at their maxima so the detector stays undecided, and it is replaced by a
 * fresh one (a new call) every {@code framesPerCall} frames, before it could decide.
 *
 * <p>Run with {@code -prof gc}: gc.alloc.rate.norm is the per-call objects (detector, native handle, buffers)
 * spread over the call's frames; that it shrinks in proportion as {@code framesPerCall} grows shows that nothing is
 * allocated per frame.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class DetectorBenchmark {

    @Param({"100", "400"})
    public int framesPerCall;

    private short[] pcm;
    private AmdParameters parameters;
    private AmdListener listener;
    private AnsweringMachineDetector detector;
    private int frame;

    @Setup
    public void prepare(Blackhole bh) {
        pcm = AmdSignals.speechLike(framesPerCall, 2);
        parameters = AmdParameters.parse(List.of("machine_detection_time=10000", "initial_silence=10000",
                "maximum_words=10", "initial_greeting=5000", "maximum_speech_length=6000"));
        listener = bh::consume;
        detector = new AnsweringMachineDetector(parameters, listener);
    }

    @TearDown
    public void close() {
        detector.close();
    }

    @Benchmark
    public int frame() {
        if (frame == framesPerCall) {
            detector.close();
            detector = new AnsweringMachineDetector(parameters, listener);
            frame = 0;
        }
        detector.offer(pcm, frame * 160);
        frame++;
        return detector.elapsedMs();
    }
}
