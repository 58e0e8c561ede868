package io.trunkline.bench.sip;

import io.trunkline.sim.CarrierSimulator;
import io.trunkline.sim.SimConfig;
import io.trunkline.sip.sdp.SdpOffer;
import io.trunkline.sip.transaction.SipTimers;
import io.trunkline.sip.transport.TransportConfig;
import io.trunkline.sip.transport.TransportType;
import io.trunkline.sip.ua.CallEnd;
import io.trunkline.sip.ua.CallListener;
import io.trunkline.sip.ua.CallOutcome;
import io.trunkline.sip.ua.DialRequest;
import io.trunkline.sip.ua.OutboundCall;
import io.trunkline.sip.ua.SipTarget;
import io.trunkline.sip.ua.SipUserAgent;
import io.trunkline.sip.ua.UserAgentConfig;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The whole stack handling complete calls (INVITE, 180, 200, ACK, BYE, 200) between two user agents in one JVM
 * over loopback UDP: transport, parser, transactions, dialogs and the simulator's UAS, with 64 calls in flight.
 * Reports complete calls per second for the pair, so it is an upper bound for one process's share.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 3, time = 3)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow", "-XX:+UseZGC"})
public class CallFlowBenchmark {
    static final int BATCH = 64;
    // realistic T1; the absorb timers linger 64*T1, which the live set must carry, as in production
    static final SipTimers TIMERS = SipTimers.RFC3261;

    CarrierSimulator sim;
    SipUserAgent ua;
    DialRequest request;

    @Setup(Level.Trial)
    public void start() throws Exception {
        sim = CarrierSimulator.start(SimConfig.answerAll(), TransportConfig.loopback(0, -1).withThreads(1), TIMERS);
        ua = SipUserAgent.start(new UserAgentConfig(TransportConfig.loopback(0, -1).withThreads(1), TIMERS, "bench"));
        request = new DialRequest(new SipTarget("127.0.0.1", sim.udpAddress().getPort(), TransportType.UDP),
                "15550001111", "15550002222", SdpOffer.audio("127.0.0.1", 40000));
    }

    @TearDown(Level.Trial)
    public void stop() throws Exception {
        if (ua.activeCalls() != 0 || ua.activeDialogs() != 0) {
            throw new IllegalStateException("calls or dialogs left: " + ua.activeCalls() + "/" + ua.activeDialogs());
        }
        ua.close();
        sim.close();
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int fullCalls() throws InterruptedException {
        CountDownLatch done = new CountDownLatch(BATCH);
        AtomicInteger completed = new AtomicInteger();
        CallListener listener = new CallListener() {
            @Override
            public void onAnswered(OutboundCall call, String sdp) { call.hangup(); }

            @Override
            public void onEnded(OutboundCall call, CallEnd end) {
                if (end.outcome() == CallOutcome.COMPLETED) completed.incrementAndGet();
                done.countDown();
            }
        };
        for (int i = 0; i < BATCH; i++) ua.dial(request, listener);
        if (!done.await(30, TimeUnit.SECONDS)) throw new IllegalStateException("calls did not finish");
        if (completed.get() != BATCH) throw new IllegalStateException("only " + completed + " of " + BATCH + " completed");
        return completed.get();
    }
}
