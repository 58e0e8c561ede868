package io.trunkline.service.webhook;

import java.time.Duration;

/** Placeholder until the delivery package lands; replaced by the real settings record. */
public record WebhookSettings(int workers, Duration timeout, Duration retryFor, Duration backoffInitial, Duration backoffMax,
                              Duration pollInterval) {
    public static WebhookSettings defaults() {
        return new WebhookSettings(16, Duration.ofSeconds(5), Duration.ofHours(1), Duration.ofSeconds(1), Duration.ofSeconds(60), Duration.ofMillis(200));
    }
}
