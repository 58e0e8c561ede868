package io.trunkline.engine;

import io.trunkline.sim.CarrierSimulator;
import io.trunkline.sim.SimConfig;
import io.trunkline.sip.transaction.SipTimers;
import io.trunkline.sip.transport.TransportConfig;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Trunk health against scripted UDP trunks and the simulator over loopback: a lost INVITE is not a dead trunk, a
 * timeout with no response is a failure of the trunk (failed, failed over), and a trunk that never answers OPTIONS
 * still comes back through a real call.
 */
class EngineTrunkHealthTest {
    /** T1 = 50 ms: timer B (64*T1) fires after 3.2 s instead of 32 s. */
    private static final SipTimers TIMERS = new SipTimers(50, 200, 250);
    private static final long TIMER_B_MS = 64 * 50;

    private static Engine engine(List<TrunkConfig> trunks, TrunkHealth health) throws Exception {
        return Engine.start(new EngineConfig(TransportConfig.loopback(0, -1).withThreads(1), trunks, 0, 0, 100, 3, TIMERS)
                .withTrunkHealth(health));
    }

    private static CallRecord completes(Engine engine, String to) throws Exception {
        Call c = engine.dial(CallRequest.of("+15550100001", to));
        c.answered().get(TIMER_B_MS + 3000, TimeUnit.MILLISECONDS).hangup();
        CallRecord r = c.ended().get(3, TimeUnit.SECONDS);
        assertEquals(EndReason.COMPLETED, r.reason(), r.toString());
        return r;
    }

    /** One INVITE lost without a trace: that call fails as a timeout, the trunk stays up, the next calls complete. */
    @Test
    void oneDroppedInviteLeavesTheTrunkUpAndLaterCallsComplete() throws Exception {
        try (ScriptedTrunk trunk = new ScriptedTrunk(1, 0);
             Engine engine = engine(List.of(TrunkConfig.of("only", trunk.target(), 50, 50)), TrunkHealth.DEFAULT)) {
            Call lost = engine.dial(CallRequest.of("+15550100001", "+15550200001"));
            CallRecord r = lost.ended().get(TIMER_B_MS + 3000, TimeUnit.MILLISECONDS);
            assertEquals(EndReason.FAILED, r.reason(), r.toString());
            assertEquals("timeout: no response from trunk", r.sipReason());
            assertEquals(0, r.sipCode(), "no SIP status came back, and none is made up (not 408, not 503)");
            assertFalse(engine.trunkDown("only"), "one silent INVITE does not take the trunk down (failures: 3)");
            for (int i = 0; i < 3; i++) assertEquals("only", completes(engine, "+1555020010" + i).trunk());
            assertEquals(1, trunk.droppedCalls());
            assertEquals(3, trunk.answeredCalls());
        }
    }

    /** A trunk that answers nothing: each call fails over to the next trunk as it would on a transport error. */
    @Test
    void aTimeoutWithNoResponseFailsOverToTheNextTrunk() throws Exception {
        try (ScriptedTrunk silent = new ScriptedTrunk(Integer.MAX_VALUE, 0);
             CarrierSimulator backup = EngineTest.sim(SimConfig.answerAll());
             Engine engine = engine(List.of(TrunkConfig.of("silent", silent.target(), 50, 50),
                     new TrunkConfig("backup", EngineTest.target(backup), 50, 50, 1, 1, null, null)), TrunkHealth.DEFAULT)) {
            CallRecord r = completes(engine, "+15550200002");
            assertEquals("backup", r.trunk());
            assertEquals(2, r.attempts(), "the silent trunk's INVITE was the first attempt");
            assertEquals(1, silent.invites());
            assertEquals(1, backup.stats().invites());
        }
    }

    /**
     * A carrier that never answers OPTIONS but answers INVITEs: once down (here after one failure), probes alone
     * would keep it down for good; the half-open trial call brings it back.
     */
    @Test
    void aTrunkThatNeverAnswersOptionsComesBackThroughATrialCall() throws Exception {
        TrunkHealth health = new TrunkHealth(1, 30_000, 200, 1_500);
        try (ScriptedTrunk primary = new ScriptedTrunk(1, 0);
             CarrierSimulator backup = EngineTest.sim(SimConfig.answerAll());
             Engine engine = engine(List.of(TrunkConfig.of("primary", primary.target(), 50, 50),
                     new TrunkConfig("backup", EngineTest.target(backup), 50, 50, 1, 1, null, null)), health)) {
            assertEquals("backup", completes(engine, "+15550200003").trunk(), "the lost INVITE failed over");
            assertTrue(engine.trunkDown("primary"), "down after the configured one failure");
            long t0 = System.nanoTime();
            List<String> usedWhileDown = new ArrayList<>();
            String trunk;
            do { // calls while it is down go to the backup, until the trial is due
                trunk = completes(engine, "+155502001" + String.format("%02d", usedWhileDown.size())).trunk();
                usedWhileDown.add(trunk);
                Thread.sleep(100);
            } while (!trunk.equals("primary") && System.nanoTime() - t0 < 6_000_000_000L);
            assertEquals("primary", trunk, "a real call was tried on the down trunk: " + usedWhileDown);
            double trialAfter = (System.nanoTime() - t0) / 1e9;
            assertTrue(trialAfter >= 1.2, "not before retry_interval: " + trialAfter + " s");
            assertFalse(engine.trunkDown("primary"), "its answer brought it back");
            assertTrue(primary.options.get() >= 2, "it was probed (" + primary.options.get() + " OPTIONS) and never answered them");
            assertEquals("primary", completes(engine, "+15550200099").trunk(), "and it carries calls again");
        }
    }

    /** Any response to OPTIONS proves the trunk alive: a 404 brings it back. */
    @Test
    void anyResponseToOptionsBringsADownTrunkBack() throws Exception {
        TrunkHealth health = new TrunkHealth(1, 30_000, 200, 3_600_000); // no trial call in this test's lifetime
        try (ScriptedTrunk primary = new ScriptedTrunk(1, 404);
             CarrierSimulator backup = EngineTest.sim(SimConfig.answerAll());
             Engine engine = engine(List.of(TrunkConfig.of("primary", primary.target(), 50, 50),
                     new TrunkConfig("backup", EngineTest.target(backup), 50, 50, 1, 1, null, null)), health)) {
            Call c = engine.dial(CallRequest.of("+15550100001", "+15550200004"));
            c.answered().get(TIMER_B_MS + 3000, TimeUnit.MILLISECONDS).hangup();
            long down = System.nanoTime();
            assertEquals("backup", c.ended().get(3, TimeUnit.SECONDS).trunk());
            while (engine.trunkDown("primary") && System.nanoTime() - down < 3_000_000_000L) Thread.sleep(20);
            assertFalse(engine.trunkDown("primary"), "a 404 to OPTIONS is a response: the trunk is alive");
            assertTrue(primary.options.get() >= 1);
            assertEquals("primary", completes(engine, "+15550200005").trunk());
        }
    }

    /** Every trunk down: calls still go to the least bad one rather than being refused, and bring it back. */
    @Test
    void whenEveryTrunkIsDownTheLeastBadIsStillTried() throws Exception {
        TrunkHealth health = new TrunkHealth(1, 30_000, 60_000, 3_600_000); // neither probes nor trials: only the fallback
        try (ScriptedTrunk trunk = new ScriptedTrunk(1, 0);
             Engine engine = engine(List.of(TrunkConfig.of("only", trunk.target(), 50, 50)), health)) {
            CallRecord lost = engine.dial(CallRequest.of("+15550100001", "+15550200006")).ended().get(TIMER_B_MS + 3000, TimeUnit.MILLISECONDS);
            assertEquals("timeout: no response from trunk", lost.sipReason());
            assertTrue(engine.trunkDown("only"));
            CallRecord next = completes(engine, "+15550200007");
            assertEquals("only", next.trunk(), "tried although down: it is the least bad there is");
            assertFalse(engine.trunkDown("only"), "and its answer brought it back");
            assertTrue(engine.trunkStats().stream().noneMatch(Engine.TrunkStats::down));
        }
    }

    /** A ring timeout shorter than timer B on a trunk that never spoke: still a silent trunk, not a phone that rang out. */
    @Test
    void aRingTimeoutOnASilentTrunkIsATimeoutNotANoAnswer() throws Exception {
        TrunkHealth health = new TrunkHealth(1, 30_000, 60_000, 3_600_000);
        try (ScriptedTrunk silent = new ScriptedTrunk(Integer.MAX_VALUE, 0);
             Engine engine = engine(List.of(TrunkConfig.of("only", silent.target(), 50, 50)), health)) {
            CallRecord r = engine.dial(CallRequest.of("+15550100001", "+15550200008").withRingTimeout(1))
                    .ended().get(TIMER_B_MS + 3000, TimeUnit.MILLISECONDS);
            assertEquals(EndReason.FAILED, r.reason(), r.toString());
            assertEquals("timeout: no response from trunk", r.sipReason());
            assertTrue(engine.trunkDown("only"), "it counted against the trunk's health");
        }
    }

    /** A trunk answering "SIP/2.0 1000": not a final response (not "rejected 1000"); dropped, counted, and the call times out. */
    @Test
    void aStatusCodeOf1000IsNoResponse() throws Exception {
        try (ScriptedTrunk weird = new ScriptedTrunk(0, 0, 1000);
             CarrierSimulator backup = EngineTest.sim(SimConfig.answerAll());
             Engine engine = engine(List.of(TrunkConfig.of("weird", weird.target(), 50, 50),
                     new TrunkConfig("backup", EngineTest.target(backup), 50, 50, 1, 1, null, null)), TrunkHealth.DEFAULT)) {
            CallRecord r = completes(engine, "+15550200009");
            assertEquals("backup", r.trunk(), "the 1000s were dropped, the INVITE timed out and failed over");
            assertEquals(2, r.attempts());
            assertTrue(engine.userAgent().transport().stats().malformed() >= 2,
                    "each 1000 (one per INVITE retransmission) was counted: " + engine.userAgent().transport().stats().malformed());
        }
    }

    /** Of trunks that are all down, the one that failed longest ago is tried, not always the first by priority. */
    @Test
    void theLeastBadIsTheTrunkThatFailedLongestAgo() throws Exception {
        TrunkHealth health = new TrunkHealth(1, 30_000, 60_000, 3_600_000); // neither probes nor trials
        try (ScriptedTrunk a = new ScriptedTrunk(1, 0); ScriptedTrunk b = new ScriptedTrunk(1, 0);
             Engine engine = engine(List.of(TrunkConfig.of("a", a.target(), 50, 50),
                     new TrunkConfig("b", b.target(), 50, 50, 1, 1, null, null)), health)) {
            // b fails first, then a: both down, b's failure the older
            for (String t : List.of("b", "a")) {
                CallRecord r = engine.dial(CallRequest.of("+15550100001", "+1555020011" + t.length()).withTrunk(t))
                        .ended().get(TIMER_B_MS + 3000, TimeUnit.MILLISECONDS);
                assertEquals("timeout: no response from trunk", r.sipReason());
                assertTrue(engine.trunkDown(t));
            }
            CallRecord next = completes(engine, "+15550200113");
            assertEquals("b", next.trunk(), "b failed longer ago, so it is tried although a comes first by priority");
            assertEquals(1, next.attempts());
            assertFalse(engine.trunkDown("b"));
            assertTrue(engine.trunkDown("a"));
        }
    }
}
