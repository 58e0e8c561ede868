package io.trunkline.service.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.trunkline.engine.config.ConfigException;
import io.trunkline.engine.config.ConfigReader;
import io.trunkline.service.store.StoreSettings;
import io.trunkline.service.webhook.WebhookSettings;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the service's sections of the configuration file (see conf/trunkline.yaml): {@code server}, {@code store},
 * {@code webhooks}. Like the engine's loader it reports every error with its path and range
 * ({@code webhooks.workers: must be 1..256, got 0}), and takes secrets from the environment or files, never
 * echoing them.
 */
public final class ServiceConfigLoader {
    /** The sections this loader owns; the engine's loader skips them. */
    public static final Set<String> SECTIONS = Set.of("server", "store", "webhooks", "campaigns");

    private final ConfigReader reader;
    private final Path base;
    private final List<String> errors;

    private ServiceConfigLoader(Map<String, String> env, Path base) {
        this.reader = new ConfigReader(env, base);
        this.base = base;
        this.errors = reader.errors();
    }

    public static ServiceConfig load(Path file, Map<String, String> env, Path home) throws ConfigException {
        JsonNode root;
        try {
            root = new ObjectMapper(new YAMLFactory()).readTree(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new ConfigException(file.toString(), List.of("cannot read: " + e.getClass().getSimpleName()));
        }
        ServiceConfigLoader l = new ServiceConfigLoader(env, file.toAbsolutePath().getParent());
        ServiceConfig c = l.parse(root == null ? com.fasterxml.jackson.databind.node.MissingNode.getInstance() : root, home);
        if (!l.errors.isEmpty() || c == null) throw new ConfigException(file.toString(), l.errors);
        return c;
    }

    private ServiceConfig parse(JsonNode root, Path home) {
        JsonNode server = root.path("server");
        unknownKeys(server, "server.", Set.of("listen", "api_keys", "max_body_bytes", "max_waiting", "feed_window", "drain_s",
                "json_logs", "prompts_dir", "recordings_dir"));
        InetSocketAddress listen = listen(server.path("listen").asText("127.0.0.1:8080"));
        List<ApiKey> keys = new ArrayList<>();
        JsonNode keyNodes = server.path("api_keys");
        if (!keyNodes.isArray() || keyNodes.isEmpty()) {
            errors.add("server.api_keys: at least one key is required (id, key_env or key_file, webhook_secret_env or webhook_secret_file)");
        } else {
            for (int i = 0; i < keyNodes.size(); i++) {
                String path = "server.api_keys[" + i + "]";
                JsonNode k = keyNodes.get(i);
                unknownKeys(k, path + ".", Set.of("id", "key", "key_env", "key_file", "webhook_secret", "webhook_secret_env", "webhook_secret_file"));
                String id = k.path("id").asText("key" + i);
                if (!id.matches("[A-Za-z0-9_-]{1,64}")) errors.add(path + ".id: must be 1..64 letters, digits, _ or -");
                String token = secret(k, path, "key");
                String secret = secret(k, path, "webhook_secret");
                if (token == null) { errors.add(path + ".key: is required (key_env names an environment variable, key_file a file)"); continue; }
                if (secret == null) { errors.add(path + ".webhook_secret: is required (webhook_secret_env or webhook_secret_file)"); continue; }
                if (secret.length() < 16) { errors.add(path + ".webhook_secret: must be at least 16 characters"); continue; }
                try {
                    keys.add(ApiKey.of(id, token, secret));
                } catch (IllegalArgumentException e) {
                    errors.add(path + ".key: " + e.getMessage());
                }
            }
            if (keys.stream().map(ApiKey::id).distinct().count() != keys.size()) errors.add("server.api_keys: ids must be unique");
        }
        long maxBody = integer(server, "server.max_body_bytes", "max_body_bytes", ServiceConfig.DEFAULT_MAX_BODY, 1024, 64L << 20);
        int maxWaiting = (int) integer(server, "server.max_waiting", "max_waiting", 100_000, 1, 10_000_000);
        int feedWindow = (int) integer(server, "server.feed_window", "feed_window", 200, 1, 100_000);
        int drain = (int) integer(server, "server.drain_s", "drain_s", 30, 0, 3600);
        boolean jsonLogs = server.path("json_logs").asBoolean(false);
        Path prompts = base.resolve(server.path("prompts_dir").asText(home.resolve("prompts").toString()));
        Path recordings = base.resolve(server.path("recordings_dir").asText(home.resolve("recordings").toString()));

        StoreSettings store = store(root.path("store"), home);
        WebhookSettings webhooks = webhooks(root.path("webhooks"));
        CampaignSettings campaigns = campaigns(root.path("campaigns"));
        if (!errors.isEmpty()) return null;
        return new ServiceConfig(listen, keys, maxBody, maxWaiting, feedWindow, store, webhooks, Duration.ofSeconds(drain), jsonLogs,
                prompts, recordings, home, campaigns);
    }

    private CampaignSettings campaigns(JsonNode n) {
        unknownKeys(n, "campaigns.", Set.of("calling_hours", "dnc_file", "node_id"));
        io.trunkline.service.campaign.CallingWindow hours = null;
        String h = n.path("calling_hours").asText(CampaignSettings.DEFAULT_CALLING_HOURS);
        try {
            hours = io.trunkline.service.campaign.CallingWindow.hours(h);
        } catch (IllegalArgumentException e) {
            errors.add("campaigns.calling_hours: " + e.getMessage());
        }
        Path dnc = n.hasNonNull("dnc_file") ? base.resolve(n.path("dnc_file").asText()) : null;
        if (dnc != null && !Files.isReadable(dnc)) errors.add("campaigns.dnc_file: cannot read " + dnc);
        String node = n.path("node_id").asText(null);
        if (node != null && !node.matches("[A-Za-z0-9_.-]{1,64}")) errors.add("campaigns.node_id: must be 1..64 letters, digits, '.', '_' or '-', got '" + node + "'");
        return new CampaignSettings(hours, dnc, node);
    }

    private StoreSettings store(JsonNode n, Path home) {
        unknownKeys(n, "store.", Set.of("sqlite", "postgres"));
        if (n.has("sqlite") && n.has("postgres")) {
            errors.add("store: give sqlite or postgres, not both");
            return null;
        }
        if (n.has("postgres")) {
            JsonNode pg = n.path("postgres");
            unknownKeys(pg, "store.postgres.", Set.of("url", "user", "password", "password_env", "password_file", "pool_size"));
            String url = pg.path("url").asText(null);
            if (url == null || !url.startsWith("jdbc:postgresql://")) {
                errors.add("store.postgres.url: must be a jdbc:postgresql://HOST:PORT/DATABASE URL");
                return null;
            }
            if (url.toLowerCase(java.util.Locale.ROOT).contains("password=")) {
                errors.add("store.postgres.url: must not carry the password; use store.postgres.password_env or password_file");
                return null;
            }
            int pool = (int) integer(pg, "store.postgres.pool_size", "pool_size", 10, 1, 200);
            return StoreSettings.postgres(url, pg.path("user").asText("trunkline"), secret(pg, "store.postgres", "password"), pool);
        }
        return StoreSettings.sqlite(base.resolve(n.path("sqlite").asText(home.resolve("trunkline.db").toString())));
    }

    private WebhookSettings webhooks(JsonNode n) {
        unknownKeys(n, "webhooks.", Set.of("workers", "timeout_ms", "retry_for_s", "backoff_initial_ms", "backoff_max_ms", "poll_ms"));
        WebhookSettings d = WebhookSettings.defaults();
        int workers = (int) integer(n, "webhooks.workers", "workers", d.workers(), 1, 256);
        long timeout = integer(n, "webhooks.timeout_ms", "timeout_ms", d.timeout().toMillis(), 100, 120_000);
        long retryFor = integer(n, "webhooks.retry_for_s", "retry_for_s", d.retryFor().toSeconds(), 1, 7 * 86_400);
        long initial = integer(n, "webhooks.backoff_initial_ms", "backoff_initial_ms", d.backoffInitial().toMillis(), 10, 600_000);
        long max = integer(n, "webhooks.backoff_max_ms", "backoff_max_ms", d.backoffMax().toMillis(), 10, 86_400_000);
        long poll = integer(n, "webhooks.poll_ms", "poll_ms", d.pollInterval().toMillis(), 10, 60_000);
        if (max < initial) errors.add("webhooks.backoff_max_ms: must be at least webhooks.backoff_initial_ms (" + initial + "), got " + max);
        try {
            return new WebhookSettings(workers, Duration.ofMillis(timeout), Duration.ofSeconds(retryFor), Duration.ofMillis(initial),
                    Duration.ofMillis(max), Duration.ofMillis(poll));
        } catch (IllegalArgumentException e) {
            errors.add(e.getMessage());
            return d;
        }
    }

    private InetSocketAddress listen(String hostPort) {
        int colon = hostPort.lastIndexOf(':');
        try {
            int port = Integer.parseInt(hostPort.substring(colon + 1));
            if (colon <= 0 || port < 0 || port > 65535) throw new NumberFormatException();
            return new InetSocketAddress(hostPort.substring(0, colon), port);
        } catch (RuntimeException e) {
            errors.add("server.listen: must be HOST:PORT with a port 0..65535, got '" + hostPort + "'");
            return null;
        }
    }

    private String secret(JsonNode n, String path, String name) {
        return reader.secret(n, path, name);
    }

    private long integer(JsonNode parent, String path, String key, long def, long min, long max) {
        return reader.integer(parent, path, key, def, min, max);
    }

    private void unknownKeys(JsonNode n, String prefix, Set<String> allowed) {
        reader.unknownKeys(n, prefix, allowed);
    }
}
