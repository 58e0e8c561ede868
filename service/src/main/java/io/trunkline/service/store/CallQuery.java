package io.trunkline.service.store;

import java.time.Instant;

/**
 * A page of calls, newest first. Every filter may be null.
 *
 * @param beforeSeq the cursor: only calls with a smaller sequence (0 = from the newest)
 * @param limit     1..1000
 * @param apiKeyId  only the calls this API key created (each key sees its own), or null for all
 */
public record CallQuery(String status, String from, String to, Instant since, Instant until, long beforeSeq, int limit, String apiKeyId) {
    public CallQuery(String status, String from, String to, Instant since, Instant until, long beforeSeq, int limit) {
        this(status, from, to, since, until, beforeSeq, limit, null);
    }
}
