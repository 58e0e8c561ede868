package io.trunkline.service.webhook;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * How webhooks are delivered.
 *
 * @param workers        concurrent requests, 1..256; one endpoint gets at most {@link #perEndpointLimit()} of them
 * @param timeout        per request, connect included
 * @param retryFor       how long an event is retried, counted from its creation; then it is abandoned
 * @param backoffInitial the wait after the first failed attempt; it doubles per attempt
 * @param backoffMax     the longest wait between attempts
 * @param pollInterval   how often the outbox is polled when nobody calls {@link WebhookDeliverer#wake()}
 */
public record WebhookSettings(int workers, Duration timeout, Duration retryFor, Duration backoffInitial,
                              Duration backoffMax, Duration pollInterval) {

    public WebhookSettings {
        if (workers < 1 || workers > 256) throw new IllegalArgumentException("webhooks.workers: must be 1..256, got " + workers);
        check("webhooks.timeout", timeout, Duration.ofMillis(1), Duration.ofMinutes(5));
        check("webhooks.retry_for", retryFor, Duration.ofMillis(1), Duration.ofDays(7));
        check("webhooks.backoff_initial", backoffInitial, Duration.ofMillis(1), Duration.ofHours(1));
        check("webhooks.backoff_max", backoffMax, backoffInitial, Duration.ofHours(6));
        check("webhooks.poll_interval", pollInterval, Duration.ofMillis(1), Duration.ofMinutes(1));
    }

    public static WebhookSettings defaults() {
        return new WebhookSettings(16, Duration.ofSeconds(5), Duration.ofHours(1), Duration.ofSeconds(1),
                Duration.ofSeconds(60), Duration.ofMillis(200));
    }

    /**
     * In-flight requests allowed to one endpoint (scheme, host and port): half the workers, so a slow or dead
     * receiver cannot take every worker and hold up the others.
     */
    public int perEndpointLimit() { return Math.max(1, workers / 2); }

    /**
     * The wait after failed attempt number {@code attempts} (from 1): min(max, initial * 2^(attempts-1)), with
     * equal jitter (uniform in [backoff/2, backoff]) so receivers that come back are not hit by every sender at once.
     */
    public Duration backoff(int attempts, RandomGenerator random) {
        long initial = backoffInitial.toMillis(), max = backoffMax.toMillis();
        int doublings = Math.min(Math.max(attempts - 1, 0), 40); // 2^40 ms is far beyond any backoffMax
        long full = Math.min(max, initial << Math.min(doublings, Long.numberOfLeadingZeros(initial) - 1));
        long half = full / 2;
        return Duration.ofMillis(half + random.nextLong(full - half + 1));
    }

    private static void check(String field, Duration value, Duration min, Duration max) {
        if (value == null) throw new IllegalArgumentException(field + ": required");
        if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
            throw new IllegalArgumentException(field + ": must be " + min.toMillis() + ".." + max.toMillis()
                    + " ms, got " + value.toMillis() + " ms");
        }
    }
}
