package io.trunkline.engine.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.trunkline.engine.EngineConfig;
import io.trunkline.engine.TrunkConfig;
import io.trunkline.sip.auth.DigestClient;
import io.trunkline.engine.CallerIds;
import io.trunkline.engine.StirSigning;
import io.trunkline.sip.stir.Attestation;
import io.trunkline.sip.stir.PemKeys;
import io.trunkline.sip.stir.StirIdentityProvider;
import io.trunkline.sip.stir.StirSigner;
import io.trunkline.sip.transport.TransportConfig;
import io.trunkline.sip.transport.TransportType;
import io.trunkline.sip.ua.SipTarget;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the engine's YAML configuration (see conf/trunkline.yaml) and validates all of it before anything starts:
 * every error is reported with its path and the allowed range, e.g. {@code trunks[1].cps: must be 1..10000, got 0}.
 * Secrets come from the environment or from files ({@code password_env}, {@code password_file},
 * {@code key_passphrase_env}) and never appear in a message.
 */
public final class EngineConfigLoader {
    private static final Set<String> TOP = Set.of("listen", "limits", "trunks", "media", "amd", "destinations", "trunk_health");
    private static final Set<String> TRUNK_KEYS = Set.of("name", "address", "transport", "cps", "max_concurrent", "priority",
            "weight", "caller_ids", "username", "password", "password_env", "password_file", "stir", "destinations");

    private final Map<String, String> env;
    private final Set<String> top;
    private ConfigReader reader;
    private List<String> errors;
    private Path base;

    private EngineConfigLoader(Map<String, String> env, Set<String> otherSections) {
        this.env = env;
        Set<String> t = new java.util.HashSet<>(TOP);
        t.addAll(otherSections);
        this.top = Set.copyOf(t);
    }

    public static EngineConfig load(Path file) throws ConfigException {
        return load(file, System.getenv());
    }

    public static EngineConfig load(Path file, Map<String, String> env) throws ConfigException {
        return load(file, env, Set.of());
    }

    /**
     * Reads the engine's part of a file that also holds the sections of a process built on the engine (the dialer
     * service's {@code server}, {@code store}, {@code webhooks}): those are skipped here and validated by their owner;
     * any other unknown section is still an error.
     */
    public static EngineConfig load(Path file, Map<String, String> env, Set<String> otherSections) throws ConfigException {
        EngineConfigLoader loader = new EngineConfigLoader(env, otherSections);
        loader.base = file.toAbsolutePath().getParent();
        loader.reader = new ConfigReader(env, loader.base);
        loader.errors = loader.reader.errors();
        JsonNode root;
        try {
            root = new ObjectMapper(new YAMLFactory()).readTree(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new ConfigException(file.toString(), List.of("cannot read: " + firstLine(e.getMessage())));
        }
        EngineConfig config = loader.parse(root == null ? com.fasterxml.jackson.databind.node.MissingNode.getInstance() : root);
        if (!loader.errors.isEmpty()) throw new ConfigException(file.toString(), loader.errors);
        return config;
    }

    private EngineConfig parse(JsonNode root) {
        unknownKeys(root, "", top);
        JsonNode listen = root.path("listen");
        unknownKeys(listen, "listen.", Set.of("address", "udp_port", "tcp_port", "io_threads"));
        unknownKeys(root.path("limits"), "limits.", Set.of("cps", "concurrency", "queue", "max_attempts", "caller_id_cps", "max_queue_wait_s"));
        unknownKeys(root.path("media"), "media.", Set.of("port_min", "port_max", "inactivity_timeout_s"));
        InetAddress address = address("listen.address", listen.path("address").asText("127.0.0.1"));
        int udp = integer(listen, "listen.udp_port", "udp_port", 5060, -1, 65535);
        int tcp = integer(listen, "listen.tcp_port", "tcp_port", 5060, -1, 65535);
        int threads = integer(listen, "listen.io_threads", "io_threads", TransportConfig.defaultThreads(), 1, 64);
        JsonNode limits = root.path("limits");
        int cps = integer(limits, "limits.cps", "cps", 0, 0, 100_000);
        int concurrency = integer(limits, "limits.concurrency", "concurrency", 0, 0, 1_000_000);
        int queue = integer(limits, "limits.queue", "queue", 10_000, 1, 10_000_000);
        int attempts = integer(limits, "limits.max_attempts", "max_attempts", 3, 1, 10);
        int callerIdCps = integer(limits, "limits.caller_id_cps", "caller_id_cps", 0, 0, 10_000);
        int maxQueueWait = integer(limits, "limits.max_queue_wait_s", "max_queue_wait_s", EngineConfig.DEFAULT_MAX_QUEUE_WAIT_S, 0, 86_400);
        JsonNode media = root.path("media");
        int portMin = integer(media, "media.port_min", "port_min", 40_000, 1024, 65534);
        int portMax = integer(media, "media.port_max", "port_max", 49_999, 1025, 65535);
        if (portMin >= portMax) errors.add("media.port_min: must be below media.port_max (" + portMin + " >= " + portMax + ")");
        int inactivity = integer(media, "media.inactivity_timeout_s", "inactivity_timeout_s", 30, 0, 3600);
        io.trunkline.amd.AmdParameters amd = amd(root.path("amd"));
        DialEdgeSections edge = new DialEdgeSections(reader);
        io.trunkline.engine.DestinationPolicy destinations = edge.destinations(root.path("destinations"));
        io.trunkline.engine.TrunkHealth trunkHealth = edge.trunkHealth(root.path("trunk_health"));
        List<TrunkConfig> trunks = new ArrayList<>();
        JsonNode list = root.path("trunks");
        if (!list.isArray() || list.isEmpty()) errors.add("trunks: at least one trunk is required");
        else for (int i = 0; i < list.size(); i++) {
            TrunkConfig t = trunk(list.get(i), "trunks[" + i + "]");
            if (t != null) trunks.add(t);
        }
        if (trunks.stream().map(TrunkConfig::name).distinct().count() != trunks.size()) errors.add("trunks: names must be unique");
        if (!errors.isEmpty()) return null;
        try {
            io.trunkline.media.MediaConfig mediaConfig = io.trunkline.media.MediaConfig.defaults(address, portMin, portMax)
                    .withInactivityTimeout(java.time.Duration.ofSeconds(inactivity));
            return new EngineConfig(new TransportConfig(address, udp, tcp, threads, 4 << 20), trunks, cps, concurrency, queue, attempts, null, callerIdCps, mediaConfig, destinations, trunkHealth, amd, maxQueueWait);
        } catch (IllegalArgumentException e) {
            errors.add(e.getMessage());
            return null;
        }
    }

    private TrunkConfig trunk(JsonNode n, String path) {
        unknownKeys(n, path + ".", TRUNK_KEYS);
        int before = errors.size();
        String name = n.path("name").asText(null);
        if (name == null || name.isBlank()) errors.add(path + ".name: is required");
        TransportType transport = TransportType.UDP;
        try {
            transport = TransportType.parse(n.path("transport").asText("udp"));
        } catch (IllegalArgumentException e) {
            errors.add(path + ".transport: " + e.getMessage());
        }
        SipTarget target = null;
        String addr = n.path("address").asText(null);
        if (addr == null) errors.add(path + ".address: is required (sip:HOST:PORT)");
        else try {
            target = SipTarget.parse(addr, transport);
        } catch (IllegalArgumentException e) {
            errors.add(path + ".address: " + e.getMessage());
        }
        int cps = integer(n, path + ".cps", "cps", 1, 1, 10_000);
        int maxConcurrent = integer(n, path + ".max_concurrent", "max_concurrent", 100, 1, 100_000);
        int priority = integer(n, path + ".priority", "priority", 0, 0, 1000);
        int weight = integer(n, path + ".weight", "weight", 1, 1, 1000);
        DigestClient auth = null;
        String user = n.path("username").asText(null);
        int beforeSecret = errors.size();
        String password = secret(n, path, "password");
        if (user != null && password == null && errors.size() == beforeSecret) errors.add(path + ".password: username is set, so one of password, password_env, password_file is required");
        else if (user != null && password != null) auth = new DigestClient(user, password);
        StirSigning stir = n.has("stir") ? stirSigning(n.path("stir"), path + ".stir") : null;
        io.trunkline.engine.DestinationRules destinations = new DialEdgeSections(reader).trunkRules(n.path("destinations"), path + ".destinations");
        if (errors.size() > before) return null;
        CallerIds callerIds = null;
        if (n.has("caller_ids")) {
            List<String> patterns = new ArrayList<>();
            n.path("caller_ids").forEach(x -> patterns.add(x.asText()));
            try {
                callerIds = new CallerIds(patterns);
            } catch (IllegalArgumentException e) {
                errors.add(path + ".caller_ids: " + e.getMessage());
                return null;
            }
        }
        return new TrunkConfig(name, target, cps, maxConcurrent, priority, weight, auth, stir, callerIds, destinations);
    }

    /** The trunk's default key (optional when every number is under {@code callers}) and per-caller-ID entries. */
    private StirSigning stirSigning(JsonNode n, String path) {
        unknownKeys(n, path + ".", Set.of("key", "key_passphrase_env", "x5u", "attest", "max_attest", "callers"));
        int before = errors.size();
        StirIdentityProvider defaults = n.has("key") || n.has("x5u") || !n.has("callers") ? stir(n, path) : null;
        List<StirSigning.CallerRule> rules = new ArrayList<>();
        JsonNode callers = n.path("callers");
        if (n.has("callers") && !callers.isArray()) errors.add(path + ".callers: must be a list");
        for (int i = 0; i < callers.size(); i++) {
            String p = path + ".callers[" + i + "]";
            JsonNode c = callers.get(i);
            unknownKeys(c, p + ".", Set.of("numbers", "key", "key_passphrase_env", "x5u", "attest", "max_attest"));
            List<String> numbers = new ArrayList<>();
            c.path("numbers").forEach(x -> numbers.add(x.asText()));
            if (numbers.isEmpty()) errors.add(p + ".numbers: is required (a list of +E.164 numbers or +PREFIX*)");
            StirIdentityProvider provider = stir(c, p);
            if (provider == null || numbers.isEmpty()) continue;
            try {
                rules.add(new StirSigning.CallerRule(numbers, provider));
            } catch (IllegalArgumentException e) {
                errors.add(p + ".numbers: " + e.getMessage());
            }
        }
        if (errors.size() > before) return null;
        return new StirSigning(defaults, rules);
    }

    private StirIdentityProvider stir(JsonNode n, String path) {
        String key = n.path("key").asText(null);
        String x5u = n.path("x5u").asText(null);
        if (key == null) errors.add(path + ".key: is required (an EC P-256 private key in PEM)");
        if (x5u == null) errors.add(path + ".x5u: is required (the https URL of the certificate)");
        if (key == null || x5u == null) return null;
        try {
            Attestation attest = Attestation.parse(path + ".attest", n.path("attest").asText("A"));
            Attestation max = Attestation.parse(path + ".max_attest", n.path("max_attest").asText(attest.name()));
            String passEnv = n.path("key_passphrase_env").asText(null);
            char[] pass = passEnv == null || env.get(passEnv) == null ? null : env.get(passEnv).toCharArray();
            StirSigner signer = new StirSigner(PemKeys.readPrivateKey(base.resolve(key), pass), x5u, max, Clock.systemUTC());
            return new StirIdentityProvider(signer, attest);
        } catch (IllegalArgumentException e) {
            errors.add(path + ": " + e.getMessage());
            return null;
        }
    }

    /**
     * AMD defaults: validated now with the detector's own ranges, so a bad value stops the start, not a call; they
     * become the engine's defaults, under each call's own settings.
     */
    private io.trunkline.amd.AmdParameters amd(JsonNode n) {
        io.trunkline.amd.AmdParameters p = io.trunkline.amd.AmdParameters.defaults();
        if (!n.isObject()) return p;
        for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            try {
                io.trunkline.amd.AmdParameter param = io.trunkline.amd.AmdParameter.byKey(e.getKey());
                p = p.with(param, param.parse(e.getValue().asText()));
            } catch (IllegalArgumentException ex) {
                errors.add("amd." + e.getKey() + ": " + ex.getMessage());
            }
        }
        return p;
    }

    private String secret(JsonNode n, String path, String name) {
        return reader.secret(n, path, name);
    }

    private int integer(JsonNode parent, String path, String key, int def, int min, int max) {
        return (int) reader.integer(parent, path, key, def, min, max);
    }

    private InetAddress address(String path, String value) {
        try {
            return InetAddress.getByName(value);
        } catch (IOException e) {
            errors.add(path + ": cannot resolve '" + value + "'");
            return InetAddress.getLoopbackAddress();
        }
    }

    private void unknownKeys(JsonNode n, String prefix, Set<String> allowed) {
        reader.unknownKeys(n, prefix, allowed);
    }

    private static String firstLine(String s) {
        if (s == null) return "";
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
