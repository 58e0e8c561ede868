/**
 * Webhook delivery from the store's outbox: signed (HMAC-SHA256 over timestamp and body, see service/WEBHOOKS.md),
 * retried with jittered exponential backoff within a retry window, and in order per call.
 *
 * <p>What it depends on: {@link io.trunkline.service.store.EventOutbox} for what to send and to record outcomes
 * (nothing is buffered here, so memory stays bounded by the worker count), the JDK's HttpClient, Jackson for the
 * body and Micrometer for metrics. Entry point: {@link io.trunkline.service.webhook.WebhookDeliverer}.
 */
package io.trunkline.service.webhook;
