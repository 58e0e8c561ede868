package io.trunkline.service.webhook;

/** Placeholder until the delivery package lands. */
public final class WebhookDeliverer implements AutoCloseable {
    public WebhookDeliverer(io.trunkline.service.store.EventOutbox outbox, java.util.function.Function<String, byte[]> secrets,
                            WebhookSettings settings, io.micrometer.core.instrument.MeterRegistry registry, java.time.Clock clock) {}
    public void start() {}
    public void wake() {}
    @Override public void close() {}
}
