package io.trunkline.engine;

import com.google.i18n.phonenumbers.PhoneNumberUtil.PhoneNumberType;
import io.trunkline.sim.CarrierSimulator;
import io.trunkline.sim.SimConfig;
import io.trunkline.sip.transport.TransportConfig;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static io.trunkline.engine.EngineTest.TIMERS;
import static io.trunkline.engine.EngineTest.sim;
import static io.trunkline.engine.EngineTest.target;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** The toll-fraud guard at the dial edge, against the carrier simulator: refused calls never reach it. */
class EngineDestinationPolicyTest {
    private static Engine engine(List<TrunkConfig> trunks, DestinationPolicy policy) throws Exception {
        return Engine.start(new EngineConfig(TransportConfig.loopback(0, -1).withThreads(1), trunks, 0, 0, 100, 3, TIMERS)
                .withDestinations(policy));
    }

    private static CallRecord refused(Engine engine, String to) throws Exception {
        CallRecord r = engine.dial(CallRequest.of("+15550100001", to)).ended().get(2, TimeUnit.SECONDS);
        assertNull(r.inviteSent(), "no INVITE for " + to);
        assertEquals(0, r.attempts());
        return r;
    }

    private static CallRecord completes(Engine engine, String to) throws Exception {
        Call c = engine.dial(CallRequest.of("+15550100001", to));
        c.answered().get(5, TimeUnit.SECONDS).hangup();
        CallRecord r = c.ended().get(5, TimeUnit.SECONDS);
        assertEquals(EndReason.COMPLETED, r.reason(), r.toString());
        return r;
    }

    /** The default policy, with nothing configured: premium rate and the IRSF ranges are refused, the rest goes. */
    @Test
    void premiumRateAndFraudRangesAreRefusedByDefaultAndNeverReachTheCarrier() throws Exception {
        try (CarrierSimulator sim = sim(SimConfig.answerAll());
             Engine engine = Engine.start(new EngineConfig(TransportConfig.loopback(0, -1).withThreads(1),
                     List.of(TrunkConfig.of("main", target(sim), 50, 50)), 0, 0, 100, 3, TIMERS))) {
            Map<String, String> expected = Map.of(
                    "+19002345678", "destination refused: premium-rate (policy deny_types)",  // US 900
                    "+449098790000", "destination refused: premium-rate (policy deny_types)", // UK 09
                    "+5372345678", "destination refused: +53 (policy deny_prefixes)",         // Cuba, Havana
                    "+8823901234", "destination refused: +882 (policy deny_prefixes)",        // international networks
                    "+881612345678", "destination refused: +881 (policy deny_prefixes)",      // satellite
                    "+448431234567", "destination refused: premium-rate (policy deny_types)");
            for (Map.Entry<String, String> e : expected.entrySet()) {
                CallRecord r = refused(engine, e.getKey());
                assertEquals(EndReason.FAILED, r.reason(), e.getKey());
                assertEquals(e.getValue(), r.sipReason(), e.getKey());
                assertEquals(0, r.sipCode(), "no SIP code was exchanged, none is made up");
            }
            // a sip: URI is no way around it, however its user part is written
            for (String uri : List.of("sip:+19002345678@127.0.0.1", "sip:%2B1-900-234-5678@127.0.0.1;user=phone",
                    "sip:19002345678@127.0.0.1", "sip:0019002345678@127.0.0.1", "sip:01153721234567@127.0.0.1")) {
                assertEquals(EndReason.FAILED, refused(engine, uri).reason(), uri);
            }
            assertEquals(0, sim.stats().invites(), "not one INVITE reached the carrier");
            completes(engine, "+442071838750"); // a London landline
            completes(engine, "+15550100002");  // a fictional number libphonenumber cannot classify: allowed by default
            assertEquals(2, sim.stats().invites());
        }
    }

    /** A longer allowed prefix beats the default deny, globally or for one trunk only. */
    @Test
    void anAllowListOverrideLetsOneThroughGloballyOrOnOneTrunk() throws Exception {
        DestinationPolicy havana = new DestinationPolicy(new DestinationRules(List.of("+537"), DestinationPolicy.DEFAULT_DENY_PREFIXES,
                Set.of(), DestinationPolicy.DEFAULT_DENY_TYPES, "policy"), Map.of());
        try (CarrierSimulator sim = sim(SimConfig.answerAll());
             Engine engine = engine(List.of(TrunkConfig.of("main", target(sim), 50, 50)), havana)) {
            completes(engine, "+5372345678");
            assertEquals("destination refused: +53 (policy deny_prefixes)", refused(engine, "+5321234567").sipReason(), "the rest of Cuba");
            assertEquals(1, sim.stats().invites());
        }
        // per trunk: only the trunk contracted for premium rate carries it, though it is tried after the main one
        DestinationRules premiumOk = new DestinationRules(List.of(), List.of(), Set.of(PhoneNumberType.PREMIUM_RATE), Set.of(), "policy");
        try (CarrierSimulator main = sim(SimConfig.answerAll()); CarrierSimulator premium = sim(SimConfig.answerAll());
             Engine engine = engine(List.of(TrunkConfig.of("main", target(main), 50, 50),
                     new TrunkConfig("premium", target(premium), 50, 50, 1, 1, null, null, null, premiumOk)), DestinationPolicy.DEFAULT)) {
            CallRecord r = completes(engine, "+19002345678");
            assertEquals("premium", r.trunk());
            assertEquals(0, main.stats().invites(), "the main trunk never saw the premium-rate call");
            assertEquals(1, premium.stats().invites());
            assertEquals("main", completes(engine, "+15550100002").trunk(), "other calls keep their usual trunk");
        }
        // and a trunk can refuse what the global level allows, naming itself
        DestinationRules noUk = new DestinationRules(List.of(), List.of("+44"), Set.of(), Set.of(), "policy");
        try (CarrierSimulator sim = sim(SimConfig.answerAll());
             Engine engine = engine(List.of(new TrunkConfig("us-only", target(sim), 50, 50, 0, 1, null, null, null, noUk)), DestinationPolicy.DEFAULT)) {
            assertEquals("destination refused: +44 (trunk us-only policy deny_prefixes)", refused(engine, "+442071838750").sipReason());
            assertEquals(0, sim.stats().invites());
        }
    }

    /** A country over its cap is refused at once as rate-limited; other countries are not held back. */
    @Test
    void perCountryRateCapRefusesTheExcess() throws Exception {
        DestinationPolicy capped = new DestinationPolicy(DestinationPolicy.DEFAULT.global(),
                Map.of("GB", DestinationPolicy.RateCap.parse("2/min"), "*", DestinationPolicy.RateCap.parse("100/s")));
        try (CarrierSimulator sim = sim(SimConfig.answerAll());
             Engine engine = engine(List.of(TrunkConfig.of("main", target(sim), 50, 50)), capped)) {
            completes(engine, "+442071838750");
            completes(engine, "+442071838751");
            CallRecord third = refused(engine, "+442071838752");
            assertEquals(EndReason.RATE_LIMITED, third.reason());
            assertEquals("destination refused: country GB over its cap of 2/min (policy country_rate)", third.sipReason());
            completes(engine, "+15550100002"); // US has its own bucket under "*"
            assertEquals(3, sim.stats().invites());
        }
    }
}
