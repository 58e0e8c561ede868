package io.trunkline.bench.engine;

import io.trunkline.engine.Call;
import io.trunkline.engine.CallRequest;
import io.trunkline.engine.Engine;
import io.trunkline.engine.EngineConfig;
import io.trunkline.engine.TrunkConfig;
import io.trunkline.sim.CarrierSimulator;
import io.trunkline.sim.SimConfig;
import io.trunkline.sip.transaction.SipTimers;
import io.trunkline.sip.transport.TransportConfig;
import io.trunkline.sip.transport.TransportType;
import io.trunkline.sip.ua.SipTarget;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code Engine.dial()} to the INVITE handed to the socket, one call at a time against the simulator over
 * loopback: request validation and E.164 normalisation, the queue, the dispatcher's wake-up, the paced limiter
 * (on, 10,000 CPS so it never binds), trunk choice, INVITE build and the hop to the call's event loop. Sampled, so
 * the percentiles show the dispatcher's wake-up tail. Each call is answered and hung up before the next.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 3, time = 3)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow", "-XX:+UseZGC"})
public class DialToInviteBenchmark {
    CarrierSimulator sim;
    Engine engine;
    Call call;
    int n;

    @Setup(Level.Trial)
    public void start() throws Exception {
        sim = CarrierSimulator.start(SimConfig.answerAll(), TransportConfig.loopback(0, -1).withThreads(1), SipTimers.RFC3261);
        SipTarget trunk = new SipTarget("127.0.0.1", sim.udpAddress().getPort(), TransportType.UDP);
        engine = Engine.start(new EngineConfig(TransportConfig.loopback(0, -1).withThreads(1),
                List.of(TrunkConfig.of("sim", trunk, 10_000, 100_000)), 0, 0, 100_000, 1, SipTimers.RFC3261));
    }

    @Benchmark
    public long dialToInvite() {
        call = engine.dial(CallRequest.of("+15550100001", "+1555020" + String.format("%04d", n++ % 10_000)));
        long micros;
        while ((micros = call.dialToInviteMicros()) < 0) Thread.onSpinWait();
        return micros;
    }

    @TearDown(Level.Invocation)
    public void endCall() throws Exception {
        call.answered().get(5, TimeUnit.SECONDS).hangup();
        call.ended().get(5, TimeUnit.SECONDS);
    }

    @TearDown(Level.Trial)
    public void stop() throws Exception {
        engine.close();
        sim.close();
    }
}
