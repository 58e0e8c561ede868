package io.trunkline.service.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.trunkline.service.store.StoredEvent;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class WebhookBodyAndSettingsTest {
    private static StoredEvent event(String payload) {
        Instant t = Instant.EPOCH;
        return new StoredEvent("c1", 3, "answered", payload, "http://x/", "k", t, 0, t, null, false, null);
    }

    @Test
    void bodyPutsEventAndSequenceFirstAndKeepsPayloadFieldsInOrder() {
        String body = new String(WebhookBody.render(event("{\"call_id\":\"c1\",\"at\":\"2026\",\"nested\":{\"a\":1}}")), StandardCharsets.UTF_8);
        assertEquals("{\"event\":\"answered\",\"sequence_number\":3,\"call_id\":\"c1\",\"at\":\"2026\",\"nested\":{\"a\":1}}", body);
    }

    @Test
    void payloadCannotOverrideTheOutboxsTypeOrSequence() {
        String body = new String(WebhookBody.render(event("{\"event\":\"fake\",\"sequence_number\":99,\"x\":1}")), StandardCharsets.UTF_8);
        assertEquals("{\"event\":\"answered\",\"sequence_number\":3,\"x\":1}", body);
    }

    @Test
    void nonObjectPayloadIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> WebhookBody.render(event("[1,2]")));
        assertThrows(IllegalArgumentException.class, () -> WebhookBody.render(event("{not json")));
    }

    @Test
    void defaultsAreTheDocumentedOnes() {
        WebhookSettings d = WebhookSettings.defaults();
        assertEquals(new WebhookSettings(16, Duration.ofSeconds(5), Duration.ofHours(1), Duration.ofSeconds(1),
                Duration.ofSeconds(60), Duration.ofMillis(200)), d);
        assertEquals(8, d.perEndpointLimit());
        assertEquals(1, new WebhookSettings(1, d.timeout(), d.retryFor(), d.backoffInitial(), d.backoffMax(), d.pollInterval()).perEndpointLimit());
    }

    @Test
    void invalidSettingsNameTheField() {
        WebhookSettings d = WebhookSettings.defaults();
        assertEquals("webhooks.workers: must be 1..256, got 0", assertThrows(IllegalArgumentException.class,
                () -> new WebhookSettings(0, d.timeout(), d.retryFor(), d.backoffInitial(), d.backoffMax(), d.pollInterval())).getMessage());
        assertEquals("webhooks.workers: must be 1..256, got 257", assertThrows(IllegalArgumentException.class,
                () -> new WebhookSettings(257, d.timeout(), d.retryFor(), d.backoffInitial(), d.backoffMax(), d.pollInterval())).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> new WebhookSettings(4, Duration.ZERO, d.retryFor(), d.backoffInitial(), d.backoffMax(), d.pollInterval()))
                .getMessage().startsWith("webhooks.timeout: must be"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> new WebhookSettings(4, d.timeout(), d.retryFor(), Duration.ofSeconds(10), Duration.ofSeconds(5), d.pollInterval()))
                .getMessage().startsWith("webhooks.backoff_max: must be 10000.."));
        assertEquals("webhooks.retry_for: required", assertThrows(IllegalArgumentException.class,
                () -> new WebhookSettings(4, d.timeout(), null, d.backoffInitial(), d.backoffMax(), d.pollInterval())).getMessage());
    }

    @Test
    void backoffDoublesCapsAndJittersWithinHalfToFull() {
        WebhookSettings s = WebhookSettings.defaults(); // 1 s doubling, 60 s cap
        SplittableRandom random = new SplittableRandom(7);
        long[] full = {1000, 2000, 4000, 8000, 16000, 32000, 60000, 60000};
        for (int attempt = 1; attempt <= full.length; attempt++) {
            for (int i = 0; i < 200; i++) {
                long ms = s.backoff(attempt, random).toMillis();
                long max = full[attempt - 1];
                assertTrue(ms >= max / 2 && ms <= max, "attempt " + attempt + ": " + ms);
            }
        }
        for (int attempt : new int[] {64, 10_000, Integer.MAX_VALUE}) { // no shift overflow at huge attempt counts
            long ms = s.backoff(attempt, random).toMillis();
            assertTrue(ms >= 30_000 && ms <= 60_000, "attempt " + attempt + ": " + ms);
        }
    }
}
