package io.trunkline.service.store;

import java.time.Instant;

/** A call to insert: everything but the store-assigned sequence. Its status is queued or scheduled. */
public record NewCall(String id, String status, String from, String to, String apiKeyId, Instant createdAt,
                      Instant notBefore, Instant notAfter, String request, String resource) {}
