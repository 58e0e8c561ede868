package io.trunkline.engine;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The per-destination-country cap of the destination policy, applied when a call is admitted: a token bucket per
 * country holding up to the cap's calls and refilled at its rate. Past it, calls are refused (not queued): a
 * fraudster's burst to one country must not sit in the queue waiting to be dialled. Holds at most one bucket per
 * region code (about 250), so it needs no eviction.
 */
final class CountryRates {
    private final DestinationPolicy policy;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    CountryRates(DestinationPolicy policy) {
        this.policy = policy;
    }

    /** Takes one call's share of the country's cap; returns the refusal when there is none left, else null. */
    String admit(String country, long nowNanos) {
        if (country == null) return null;
        DestinationPolicy.RateCap cap = policy.capFor(country);
        if (cap == null) return null;
        if (buckets.computeIfAbsent(country, k -> new Bucket(cap, nowNanos)).take(nowNanos)) return null;
        return "destination refused: country " + country + " over its cap of " + cap + " (policy country_rate)";
    }

    private static final class Bucket {
        private final double capacity;
        private final double perNano;
        private double tokens;
        private long last;

        Bucket(DestinationPolicy.RateCap cap, long now) {
            this.capacity = cap.calls();
            this.perNano = cap.calls() / (cap.perSeconds() * 1e9);
            this.tokens = capacity;
            this.last = now;
        }

        synchronized boolean take(long now) {
            tokens = Math.min(capacity, tokens + (now - last) * perNano);
            last = now;
            if (tokens < 1) return false;
            tokens -= 1;
            return true;
        }
    }
}
