package io.trunkline.bench.load;

import io.trunkline.engine.Engine;
import io.trunkline.engine.EngineConfig;
import io.trunkline.engine.TrunkConfig;
import io.trunkline.sim.CarrierSimulator;
import io.trunkline.sim.SimConfig;
import io.trunkline.sip.transaction.SipTimers;
import io.trunkline.sip.transport.TransportConfig;
import io.trunkline.sip.transport.TransportType;
import io.trunkline.sip.ua.SipTarget;
import io.trunkline.sip.ua.SipUserAgent;
import io.trunkline.sip.ua.UserAgentConfig;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A bounded load run against the simulator: every call completes and, once the transactions' absorb timers have
 * run out, calls, dialogs and transactions are back to zero on both sides. (Speed is measured by `./trunkline load`
 * and JMH, not here.)
 */
class LoadHarnessTest {
    // 64*T1 = 6.4 s of lingering instead of 32 s; still far above loopback round trips on a loaded 2-core box
    private static final SipTimers SHORT = new SipTimers(100, 400, 500);

    @Test
    void callsCompleteAndEveryCountReturnsToZero() throws Exception {
        try (CarrierSimulator sim = CarrierSimulator.start(SimConfig.answerAll(), TransportConfig.loopback(0, -1).withThreads(1), SHORT);
             SipUserAgent ua = SipUserAgent.start(new UserAgentConfig(TransportConfig.loopback(0, -1).withThreads(1), SHORT, "load-test"))) {
            SipTarget trunk = new SipTarget("127.0.0.1", sim.udpAddress().getPort(), TransportType.UDP);
            LoadReport r = new LoadHarness(new StackDialer(ua, trunk)).run(new LoadSpec(trunk, 100, 300, 20, 0, "15550100000", "15552", false, 10_000), null);
            assertEquals(300, r.completed(), "failures: " + r.failuresByCause());
            assertEquals(0, r.failures());
            assertTrue(r.achievedCps() > 95 && r.achievedCps() < 105, "paced at the requested rate: " + r.achievedCps());
            assertEquals(300, sim.stats().invites(), "one INVITE per call reached the simulator");
            assertEquals(300, sim.stats().byesReceived());
            long deadline = System.nanoTime() + 20_000_000_000L;
            while (System.nanoTime() < deadline && ua.activeTransactions() + sim.userAgent().activeTransactions() > 0) Thread.sleep(50);
            assertEquals(0, ua.activeCalls() + ua.activeDialogs() + ua.activeTransactions(), "caller state left");
            assertEquals(0, sim.activeCalls() + sim.userAgent().activeDialogs() + sim.userAgent().activeTransactions(), "simulator state left");
        }
    }

    /**
     * A large run through the whole Engine path (validation, queue, paced limiter, dispatcher): every call completes,
     * each has a measured dial-to-INVITE latency, and afterwards queue, calls, dialogs and transactions are all zero.
     */
    @Test
    void engineRunLeavesNothingBehind() throws Exception {
        try (CarrierSimulator sim = CarrierSimulator.start(SimConfig.answerAll(), TransportConfig.loopback(0, -1).withThreads(1), SHORT)) {
            SipTarget trunk = new SipTarget("127.0.0.1", sim.udpAddress().getPort(), TransportType.UDP);
            try (Engine engine = Engine.start(new EngineConfig(TransportConfig.loopback(0, -1).withThreads(1),
                    List.of(TrunkConfig.of("sim", trunk, 400, 10_000)), 0, 0, 10_000, 3, SHORT));
                 EngineDialer dialer = new EngineDialer(engine)) {
                LoadReport r = new LoadHarness(dialer).run(new LoadSpec(trunk, 200, 1500, 10, 0, "15550100000", "15552", false, 10_000), null);
                assertEquals(1500, r.completed(), "failures: " + r.failuresByCause());
                assertEquals("engine", r.path());
                assertTrue(r.dialToInviteP50Micros() > 0 && r.dialToInviteP99Micros() >= r.dialToInviteP50Micros(), r.toString());
                assertEquals(1500, sim.stats().invites());
                long deadline = System.nanoTime() + 20_000_000_000L;
                var ua = engine.userAgent();
                while (System.nanoTime() < deadline && ua.activeTransactions() + sim.userAgent().activeTransactions() > 0) Thread.sleep(50);
                assertEquals(0, engine.queued(), "queue");
                assertEquals(0, engine.live(), "engine calls");
                assertEquals(0, ua.activeCalls() + ua.activeDialogs() + ua.activeTransactions(), "caller state left");
                assertEquals(0, sim.activeCalls() + sim.userAgent().activeDialogs() + sim.userAgent().activeTransactions(), "simulator state left");
            }
        }
    }
}
