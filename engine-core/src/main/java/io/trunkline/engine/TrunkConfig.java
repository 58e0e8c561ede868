package io.trunkline.engine;

import io.trunkline.sip.ua.ChallengeResponder;
import io.trunkline.sip.ua.SipTarget;

/**
 * A carrier trunk as the dial edge sees it.
 *
 * @param cps           the carrier's calls-per-second cap (1..10000)
 * @param maxConcurrent simultaneous calls allowed (1..100000)
 * @param priority      lower is tried first; failover goes to the next, and so does overflow when this tier's
 *                      CPS is used up while calls wait
 * @param weight        share among trunks of the same priority (1..1000), by smooth weighted round robin
 * @param auth          digest credentials, or null
 * @param stir          STIR/SHAKEN signing for this trunk (per caller ID where configured), or null
 * @param callerIds     the caller IDs this trunk may present (a carrier only accepts numbers it knows); null = any
 * @param destinations  this trunk's destination rules, over the global ones (see {@link DestinationPolicy}); null = none
 */
public record TrunkConfig(String name, SipTarget target, int cps, int maxConcurrent, int priority, int weight,
                          ChallengeResponder auth, StirSigning stir, CallerIds callerIds, DestinationRules destinations) {
    public TrunkConfig(String name, SipTarget target, int cps, int maxConcurrent, int priority, int weight,
                       ChallengeResponder auth, StirSigning stir, CallerIds callerIds) {
        this(name, target, cps, maxConcurrent, priority, weight, auth, stir, callerIds, null);
    }

    public TrunkConfig(String name, SipTarget target, int cps, int maxConcurrent, int priority, int weight,
                       ChallengeResponder auth, StirSigning stir) {
        this(name, target, cps, maxConcurrent, priority, weight, auth, stir, null);
    }

    /** Whether a call from this caller ID may use this trunk. */
    public boolean accepts(String from) { return callerIds == null || callerIds.matches(from); }

    public TrunkConfig {
        if (name == null || name.isBlank()) throw new IllegalArgumentException("trunk name is required");
        if (target == null) throw new IllegalArgumentException("trunks." + name + ".address is required");
        if (cps < 1 || cps > 10_000) throw new IllegalArgumentException("trunks." + name + ".cps must be 1..10000, got " + cps);
        if (weight < 1 || weight > 1000) throw new IllegalArgumentException("trunks." + name + ".weight must be 1..1000, got " + weight);
        if (maxConcurrent < 1 || maxConcurrent > 100_000) {
            throw new IllegalArgumentException("trunks." + name + ".max_concurrent must be 1..100000, got " + maxConcurrent);
        }
        if (destinations != null) destinations = destinations.forTrunk(name); // its refusals name the trunk
    }

    public static TrunkConfig of(String name, SipTarget target, int cps, int maxConcurrent) {
        return new TrunkConfig(name, target, cps, maxConcurrent, 0, 1, null, null);
    }
}
