package io.trunkline.service.campaign;

/**
 * How a campaign retries one outcome: up to {@code maxAttempts} attempts in all (the first included), each retry
 * at least {@code delaySeconds} after the last call ended and inside the recipient's next window.
 */
public record RetryRule(int maxAttempts, int delaySeconds) {}
