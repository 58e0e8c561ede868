package io.trunkline.service.store;

import java.time.Instant;

/**
 * A call as the store keeps it.
 *
 * @param id           the service's call id (the API's), assigned before the call is stored
 * @param seq          store-assigned insertion order; cursors page on it, newest first
 * @param status       the API status (queued, scheduled, dialing, ..., completed, expired)
 * @param apiKeyId     the id of the API key that created the call (its webhook secret signs the call's events)
 * @param notBefore    not dialled before this instant (schedule.earliest_at), or null
 * @param notAfter     never dialled after this instant (schedule.latest_at), or null
 * @param request      the accepted request, normalised, as JSON
 * @param resource     the call resource (what GET returns) as JSON, updated as the call moves
 * @param dispatchedAt when the call was handed to the engine, or null while it waits; a call dispatched but not
 *                     ended when the process starts was in flight at a crash
 * @param ended        whether the call reached a final status
 */
public record StoredCall(String id, long seq, String status, String from, String to, String apiKeyId,
                         Instant createdAt, Instant notBefore, Instant notAfter, String request, String resource,
                         Instant dispatchedAt, boolean ended) {}
