package io.trunkline.service;

import io.trunkline.engine.Engine;
import io.trunkline.engine.EngineConfig;
import io.trunkline.service.api.ApiServer;
import io.trunkline.service.api.CallsApi;
import io.trunkline.service.config.ApiKey;
import io.trunkline.service.config.ServiceConfig;
import io.trunkline.service.api.CampaignsApi;
import io.trunkline.service.api.LiveApi;
import io.trunkline.service.campaign.CampaignScheduler;
import io.trunkline.service.dial.CallDispatcher;
import io.trunkline.service.dial.NodeRegistry;
import io.trunkline.service.store.NodeStore;
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
    private final JdbcCallStore store;
    private final Engine engine;
    private final NodeRegistry nodes;
    private final CampaignScheduler scheduler;
    private final WebhookDeliverer webhooks;
    private final CallDispatcher dispatcher;
    private final CallsApi calls;
    private final ApiServer api;
    private final ServiceMetrics metrics = new ServiceMetrics();
    private final LiveSeries series = new LiveSeries();
    private final int recovered;
    private volatile boolean closed;

    private DialerService(ServiceConfig config, EngineConfig engineConfig, Clock clock) throws InterruptedException, IOException {
        this.config = config;
        Files.createDirectories(config.recordingsDir());
        String node = config.campaigns().nodeId() != null ? config.campaigns().nodeId() : NodeStore.newNodeId();
        this.store = JdbcCallStore.open(config.store(), node);
        Engine started = null;
        WebhookDeliverer deliverer = null;
        NodeRegistry registry = null;
        CampaignScheduler campaigns = null;
        try {
            Map<String, byte[]> secrets = config.apiKeys().stream().collect(Collectors.toMap(ApiKey::id, ApiKey::webhookSecret));
            deliverer = new WebhookDeliverer(store, secrets::get, config.webhooks(), metrics.registry(), clock);
            // the store is this service's queue: a call handed to the engine waits there as long as its schedule allows
            started = Engine.start(engineConfig.withMaxQueueWait(0));
            this.engine = started;
            this.webhooks = deliverer;
            this.dispatcher = new CallDispatcher(store, engine, config.promptsDir(), config.recordingsDir(), config.feedWindow(),
                    webhooks::wake, LiveSeries.both(metrics, series), clock);
            registry = new NodeRegistry(store.nodes(), engine, dispatcher);
            this.nodes = registry;
            nodes.join(); // adopts what dead nodes (or this one's last life) left, before recovery reads it
            dispatcher.holdUntil(nodes::ready);
            this.recovered = dispatcher.recover();
            importDnc(config);
            var waiting = new io.trunkline.service.store.WaitingCalls(store);
            metrics.bind(engine, waiting);
            this.calls = new CallsApi(store, waiting, engine, dispatcher, config, clock);
            var hours = config.campaigns().callingHours();
            var campaignCalls = CampaignsApi.callsFor(store.campaigns(), hours);
            campaigns = new CampaignScheduler(store.campaigns(), campaignCalls, clock, nodes::liveNodes, dispatcher::wake, webhooks::wake);
            this.scheduler = campaigns;
            int maxCps = engine.trunkStats().stream().mapToInt(Engine.TrunkStats::cps).sum();
            var campaignsApi = new CampaignsApi(store.campaigns(), calls, dispatcher, scheduler, campaignCalls, hours, maxCps, webhooks::wake, clock);
            var live = new LiveApi(engine, store, nodes, series);
            this.api = new ApiServer(config, calls, campaignsApi, live, metrics.registry(), () -> !closed).start(); // first: a taken port stops the start here
            webhooks.start();
            dispatcher.start();
            scheduler.start();
        } catch (RuntimeException | InterruptedException | IOException e) {
            if (campaigns != null) campaigns.close();
            if (registry != null) registry.close();
            if (started != null) started.close();
            if (deliverer != null) deliverer.close();
            store.close();
            throw e;
        }
        log.info("dialer service on http://{}:{} ({}, {} calls recovered)", config.listen().getHostString(), api.port(), config.store(), recovered);
    }

    public static DialerService start(ServiceConfig config, EngineConfig engineConfig) throws InterruptedException, IOException {
        return new DialerService(config, engineConfig, Clock.systemUTC());
    }

    /** With a clock of the caller's: campaign windows, retries and schedules follow it (tests move it across days). */
    public static DialerService start(ServiceConfig config, EngineConfig engineConfig, Clock clock) throws InterruptedException, IOException {
        return new DialerService(config, engineConfig, clock);
    }

    /** The do-not-call file of the configuration, added to the list at each start (numbers already there stay). */
    private void importDnc(ServiceConfig config) throws IOException {
        if (config.campaigns().dncFile() == null) return;
        java.util.List<String> numbers = new java.util.ArrayList<>(), refused = new java.util.ArrayList<>();
        try (var in = Files.newInputStream(config.campaigns().dncFile())) {
            CampaignsApi.readNumberLines(in, numbers, refused);
        }
        int added = 0;
        for (int i = 0; i < numbers.size(); i += 1000) added += store.campaigns().dncAdd(numbers.subList(i, Math.min(numbers.size(), i + 1000)), "file");
        log.info("do-not-call list: {} numbers read from {}, {} new{}", numbers.size(), config.campaigns().dncFile(), added,
                refused.isEmpty() ? "" : "; " + refused.size() + " lines refused, the first: " + refused.get(0));
    }

    public int port() { return api.port(); }

    public Engine engine() { return engine; }

    public JdbcCallStore store() { return store; }

    public CampaignScheduler scheduler() { return scheduler; }

    public NodeRegistry nodes() { return nodes; }

    /** Calls ended as failed at start because a crash had left them in flight. */
    public int recovered() { return recovered; }

    /**
     * The graceful stop (SIGTERM): new calls are refused with 503, dispatching stops, calls in progress get the drain
     * time to end by themselves and are then ended with a reason, and calls not yet dialled stay in the store for
     * the next start. Webhook delivery gets a last moment for the final events; what it could not send stays in the
     * store and goes after the restart.
     */
    /** Cuts short the drain of a {@link #stop} under way: answered calls are hung up now (a second signal). */
    public void hurry() {
        engine.hurry();
    }

    public void stop() throws InterruptedException {
        if (closed) return;
        calls.stopAccepting();
        scheduler.close();
        dispatcher.stop(config.drain());
        nodes.close();
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
