package io.trunkline.engine;

import io.trunkline.sim.CarrierSimulator;
import io.trunkline.sim.SimConfig;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What a service built on the engine relies on: the pre-send hook, deadlines, and validation without queueing. */
class EngineServiceHooksTest {

    @Test
    void beforeFirstInviteRunsOnceBeforeTheInviteLeavesEvenAcross503Retries() throws Exception {
        // the simulator polices 1 CPS with 503: the second call is retried by the dial edge after back-off
        try (CarrierSimulator sim = EngineTest.sim(SimConfig.answerAll().withHoldMs(50).withCpsLimit(1).withRetryAfter(1));
             Engine engine = EngineTest.engine(List.of(TrunkConfig.of("main", EngineTest.target(sim), 50, 10)), 100)) {
            AtomicInteger hooks = new AtomicInteger();
            java.util.Map<String, Long> invitesSeenAtHook = new java.util.concurrent.ConcurrentHashMap<>();
            CallListener l = new CallListener() {
                @Override
                public void beforeFirstInvite(Call call) {
                    hooks.incrementAndGet();
                    invitesSeenAtHook.put(call.request().to(), sim.stats().invites());
                }
            };
            Call a = engine.dial(CallRequest.of("+15550100001", "+15550100002"), l);
            Call b = engine.dial(CallRequest.of("+15550100001", "+15550100003"), l);
            CallRecord ra = a.ended().get(10, TimeUnit.SECONDS);
            CallRecord rb = b.ended().get(10, TimeUnit.SECONDS);
            // each hook ran before its call's INVITE: the first before any, the second before its own (so at most one)
            assertEquals(0L, invitesSeenAtHook.get("+15550100002"));
            assertTrue(invitesSeenAtHook.get("+15550100003") <= 1, "second call's hook saw " + invitesSeenAtHook.get("+15550100003"));
            assertTrue(sim.stats().policed() >= 1, "the simulator refused one with 503");
            assertTrue(ra.attempts() + rb.attempts() >= 3, "so a call was retried: " + ra.attempts() + "," + rb.attempts());
            assertEquals(2, hooks.get(), "once per call, not per attempt");
        }
    }

    @Test
    void aHookThatThrowsKeepsTheCallOffTheWire() throws Exception {
        try (CarrierSimulator sim = EngineTest.sim(SimConfig.answerAll().withHoldMs(50));
             Engine engine = EngineTest.engine(List.of(TrunkConfig.of("main", EngineTest.target(sim), 50, 10)), 100)) {
            Call c = engine.dial(CallRequest.of("+15550100001", "+15550100002"), new CallListener() {
                @Override
                public void beforeFirstInvite(Call call) {
                    throw new IllegalStateException("journal unavailable");
                }
            });
            assertEquals(EndReason.FAILED, c.ended().get(5, TimeUnit.SECONDS).reason());
            Thread.sleep(100);
            assertEquals(0, sim.stats().invites());
        }
    }

    @Test
    void aQueuedCallPastItsDeadlineExpiresUndialled() throws Exception {
        // one call at a time: the second waits behind the first's 800 ms hold, past its 300 ms deadline
        try (CarrierSimulator sim = EngineTest.sim(SimConfig.answerAll().withHoldMs(800));
             Engine engine = EngineTest.engine(List.of(TrunkConfig.of("main", EngineTest.target(sim), 50, 1)), 100)) {
            Call first = engine.dial(CallRequest.of("+15550100001", "+15550100002"));
            Call late = engine.dial(CallRequest.of("+15550100001", "+15550100003"), null, Instant.now().plusMillis(300));
            CallRecord r = late.ended().get(5, TimeUnit.SECONDS);
            assertEquals(EndReason.EXPIRED, r.reason());
            assertEquals(null, r.inviteSent());
            assertEquals(EndReason.COMPLETED, first.ended().get(5, TimeUnit.SECONDS).reason());
            assertEquals(1, sim.stats().invites());
        }
    }

    @Test
    void validateRefusesWhatDialWouldWithoutQueueing() throws Exception {
        try (CarrierSimulator sim = EngineTest.sim(SimConfig.answerAll());
             Engine engine = EngineTest.engine(List.of(TrunkConfig.of("main", EngineTest.target(sim), 50, 10)), 100)) {
            var e = assertThrows(IllegalArgumentException.class, () -> engine.validate(CallRequest.of("+15550100001", "+15550100002").withTrunk("other")));
            assertTrue(e.getMessage().startsWith("trunk must be one of [main]"), e.getMessage());
            engine.validate(CallRequest.of("+15550100001", "+15550100002"));
            assertEquals(0, engine.queued());
            assertEquals(List.of("main"), engine.trunkNames());
        }
    }
}
