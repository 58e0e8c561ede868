package io.trunkline.service.store;

import java.time.Instant;

/**
 * A campaign as the store keeps it.
 *
 * @param seq      store-assigned creation order; lists page on it, newest first
 * @param status   scheduled, running, paused, completed or cancelled
 * @param settings the normalised settings (what was asked for, defaults filled in), as JSON
 */
public record Campaign(String id, long seq, String apiKeyId, String name, String status, String settings,
                       Instant createdAt, Instant startedAt, Instant pausedAt, Instant completedAt) {
    public static final String SCHEDULED = "scheduled";
    public static final String RUNNING = "running";
    public static final String PAUSED = "paused";
    public static final String COMPLETED = "completed";
    public static final String CANCELLED = "cancelled";

    public boolean isFinal() { return status.equals(COMPLETED) || status.equals(CANCELLED); }
}
