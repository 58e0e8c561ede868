package io.trunkline.service.store;

import java.time.Instant;

/**
 * One event of a call's outbox, with its delivery state.
 *
 * @param seq          the call's event sequence number, from 1
 * @param apiKeyId     the API key whose webhook secret signs it
 * @param attempts     delivery attempts made so far
 * @param nextAttemptAt when the deliverer may try it next
 * @param deliveredAt  when a receiver answered 2xx, or null
 * @param abandoned    the retry period ran out; it stays undelivered in the store
 * @param lastError    the last attempt's failure (HTTP status or I/O error), or null
 */
public record StoredEvent(String callId, int seq, String type, String payload, String url, String apiKeyId,
                          Instant createdAt, int attempts, Instant nextAttemptAt, Instant deliveredAt,
                          boolean abandoned, String lastError) {
    public boolean pending() { return deliveredAt == null && !abandoned; }
}
