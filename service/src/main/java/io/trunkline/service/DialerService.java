package io.trunkline.service;

import io.trunkline.engine.Engine;
import io.trunkline.engine.EngineConfig;
import io.trunkline.service.api.ApiServer;
import io.trunkline.service.api.CallsApi;
import io.trunkline.service.config.ApiKey;
import io.trunkline.service.config.ServiceConfig;
import io.trunkline.service.dial.CallDispatcher;
import io.trunkline.service.store.CallStore;
import io.trunkline.service.store.JdbcCallStore;
import io.trunkline.service.webhook.WebhookDeliverer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Clock;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The dialer process: the durable store, the engine behind it, webhook delivery from the store's outbox, and the
 * HTTP API in front. Starts in dependency order (store, recovery of calls a crash left in flight, engine, delivery,
 * dispatch, API) and stops in reverse, draining calls in progress.
 */
public final class DialerService implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(DialerService.class);

    private final ServiceConfig config;
    private final CallStore store;
    private final Engine engine;
    private final WebhookDeliverer webhooks;
    private final CallDispatcher dispatcher;
    private final CallsApi calls;
    private final ApiServer api;
    private final ServiceMetrics metrics = new ServiceMetrics();
    private final int recovered;
    private volatile boolean closed;

    private DialerService(ServiceConfig config, EngineConfig engineConfig) throws InterruptedException, IOException {
        this.config = config;
        Files.createDirectories(config.recordingsDir());
        Clock clock = Clock.systemUTC();
        this.store = JdbcCallStore.open(config.store());
        Engine started = null;
        WebhookDeliverer deliverer = null;
        try {
            Map<String, byte[]> secrets = config.apiKeys().stream().collect(Collectors.toMap(ApiKey::id, ApiKey::webhookSecret));
            deliverer = new WebhookDeliverer(store, secrets::get, config.webhooks(), metrics.registry(), clock);
            started = Engine.start(engineConfig);
            this.engine = started;
            this.webhooks = deliverer;
            this.dispatcher = new CallDispatcher(store, engine, config.promptsDir(), config.recordingsDir(), config.feedWindow(),
                    webhooks::wake, metrics, clock);
            this.recovered = dispatcher.recover();
            var waiting = new io.trunkline.service.store.WaitingCalls(store);
            metrics.bind(engine, waiting);
            this.calls = new CallsApi(store, waiting, engine, dispatcher, config, clock);
            this.api = new ApiServer(config, calls, metrics.registry(), () -> !closed).start(); // first: a taken port stops the start here
            webhooks.start();
            dispatcher.start();
        } catch (RuntimeException | InterruptedException | IOException e) {
            if (started != null) started.close();
            if (deliverer != null) deliverer.close();
            store.close();
            throw e;
        }
        log.info("dialer service on http://{}:{} ({}, {} calls recovered)", config.listen().getHostString(), api.port(), config.store(), recovered);
    }

    public static DialerService start(ServiceConfig config, EngineConfig engineConfig) throws InterruptedException, IOException {
        return new DialerService(config, engineConfig);
    }

    public int port() { return api.port(); }

    public Engine engine() { return engine; }

    public CallStore store() { return store; }

    /** Calls ended as failed at start because a crash had left them in flight. */
    public int recovered() { return recovered; }

    /**
     * The graceful stop (SIGTERM): new calls are refused with 503, dispatching stops, calls in progress get the drain
     * time to end by themselves and are then ended with a reason, and calls not yet dialled stay in the store for
     * the next start. Webhook delivery gets a last moment for the final events; what it could not send stays in the
     * store and goes after the restart.
     */
    public void stop() throws InterruptedException {
        if (closed) return;
        calls.stopAccepting();
        dispatcher.stop(config.drain());
        closed = true;
        webhooks.wake();
        webhooks.close();
        api.close();
        store.close();
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }
}
