package io.trunkline.service.config;

import io.trunkline.service.store.StoreSettings;
import io.trunkline.service.webhook.WebhookSettings;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The dialer service's own settings (the {@code server}, {@code store} and {@code webhooks} sections of the
 * configuration file; the engine's sections are the engine's).
 *
 * @param listen        the HTTP address
 * @param apiKeys       at least one
 * @param maxBodyBytes  requests with a larger body are refused (413) before they are read
 * @param maxWaiting    calls accepted but not yet dialled; past it POST answers 429 with Retry-After
 * @param feedWindow    calls handed to the engine ahead of its dial edge (the rest wait in the store)
 * @param drain         on SIGTERM, how long calls in progress may go on before they are ended
 * @param promptsDir    where {@code voicemail_message} names are looked up
 * @param recordingsDir where {@code record} writes WAV files
 * @param home          the service's working folder (the SQLite file lives here by default)
 * @param campaigns     calling hours, the do-not-call file, this node's name
 */
public record ServiceConfig(InetSocketAddress listen, List<ApiKey> apiKeys, long maxBodyBytes, int maxWaiting, int feedWindow,
                            StoreSettings store, WebhookSettings webhooks, Duration drain, boolean jsonLogs,
                            Path promptsDir, Path recordingsDir, Path home, CampaignSettings campaigns) {
    public ServiceConfig {
        apiKeys = List.copyOf(apiKeys);
        if (apiKeys.isEmpty()) throw new IllegalArgumentException("server.api_keys: at least one key is required");
    }

    public static final long DEFAULT_MAX_BODY = 2 << 20;
    public static final int MAX_BATCH = 1000;

    /** Embedded defaults under {@code home}: loopback, SQLite in home, one key. */
    public static ServiceConfig defaults(Path home, int port, ApiKey key) {
        return new ServiceConfig(new InetSocketAddress("127.0.0.1", port), List.of(key), DEFAULT_MAX_BODY, 100_000, 200,
                StoreSettings.sqlite(home.resolve("trunkline.db")), WebhookSettings.defaults(), Duration.ofSeconds(30), false,
                home.resolve("prompts"), home.resolve("recordings"), home, CampaignSettings.defaults());
    }

    public ServiceConfig withListen(InetSocketAddress a) {
        return new ServiceConfig(a, apiKeys, maxBodyBytes, maxWaiting, feedWindow, store, webhooks, drain, jsonLogs, promptsDir, recordingsDir, home, campaigns);
    }

    public ServiceConfig withStore(StoreSettings s) {
        return new ServiceConfig(listen, apiKeys, maxBodyBytes, maxWaiting, feedWindow, s, webhooks, drain, jsonLogs, promptsDir, recordingsDir, home, campaigns);
    }

    public ServiceConfig withWebhooks(WebhookSettings w) {
        return new ServiceConfig(listen, apiKeys, maxBodyBytes, maxWaiting, feedWindow, store, w, drain, jsonLogs, promptsDir, recordingsDir, home, campaigns);
    }

    public ServiceConfig withDrain(Duration d) {
        return new ServiceConfig(listen, apiKeys, maxBodyBytes, maxWaiting, feedWindow, store, webhooks, d, jsonLogs, promptsDir, recordingsDir, home, campaigns);
    }

    public ServiceConfig withCampaigns(CampaignSettings c) {
        return new ServiceConfig(listen, apiKeys, maxBodyBytes, maxWaiting, feedWindow, store, webhooks, drain, jsonLogs, promptsDir, recordingsDir, home, c);
    }

    public ServiceConfig withMaxWaiting(int n) {
        return new ServiceConfig(listen, apiKeys, maxBodyBytes, n, feedWindow, store, webhooks, drain, jsonLogs, promptsDir, recordingsDir, home, campaigns);
    }
}
