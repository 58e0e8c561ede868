package io.trunkline.service.store;

/**
 * What {@link CallStore#accept} did.
 *
 * @param replayed true when the idempotency key was already stored: nothing was inserted
 * @param response the response stored with the key (the one given now, or the first one on a replay)
 * @param conflict true when the key was stored for a different request (its hash differs)
 */
public record AcceptResult(boolean replayed, String response, boolean conflict) {}
