package io.trunkline.service.store;

import java.time.Instant;

/**
 * A call to insert: everything but the store-assigned sequence. Its status is queued or scheduled.
 *
 * @param dispatchedAt set when the caller hands the call to the engine itself once the insert has committed (a call
 *                     accepted while the engine has room goes straight on); null to leave it for {@code claimDue}
 * @param campaignId   the campaign it is made for, or null
 * @param recipientLine the campaign recipient it is made for
 */
public record NewCall(String id, String status, String from, String to, String apiKeyId, Instant createdAt,
                      Instant notBefore, Instant notAfter, String request, String resource, Instant dispatchedAt,
                      String campaignId, long recipientLine) {
    public NewCall(String id, String status, String from, String to, String apiKeyId, Instant createdAt,
                   Instant notBefore, Instant notAfter, String request, String resource, Instant dispatchedAt) {
        this(id, status, from, to, apiKeyId, createdAt, notBefore, notAfter, request, resource, dispatchedAt, null, 0);
    }

    public NewCall(String id, String status, String from, String to, String apiKeyId, Instant createdAt,
                   Instant notBefore, Instant notAfter, String request, String resource) {
        this(id, status, from, to, apiKeyId, createdAt, notBefore, notAfter, request, resource, null);
    }

    /** The stored form of this call once inserted (its sequence is not known here, and not needed to dispatch it). */
    public StoredCall stored() {
        return new StoredCall(id, 0, status, from, to, apiKeyId, createdAt, notBefore, notAfter, request, resource, dispatchedAt, false);
    }
}
