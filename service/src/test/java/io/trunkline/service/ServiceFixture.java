package io.trunkline.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.trunkline.engine.EngineConfig;
import io.trunkline.engine.TrunkConfig;
import io.trunkline.service.config.ApiKey;
import io.trunkline.service.config.ServiceConfig;
import io.trunkline.sim.CarrierSimulator;
import io.trunkline.sim.SimConfig;
import io.trunkline.sip.transport.TransportConfig;
import io.trunkline.sip.transport.TransportType;
import io.trunkline.sip.ua.SipTarget;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * A real dialer service on loopback: the carrier simulator as its trunk, the service's HTTP API on an ephemeral port,
 * and a JDK HTTP client to talk to it as any backend would.
 */
public final class ServiceFixture implements AutoCloseable {
    public static final String KEY = "test-key-0123456789abcdef";
    public static final String SECRET = "test-webhook-secret-0123456789";
    static final ObjectMapper JSON = new ObjectMapper();

    public final CarrierSimulator sim;
    public DialerService service;
    private final ServiceConfig config;
    private final EngineConfig engineConfig;
    private final java.time.Clock clock;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(2)).build();

    public ServiceFixture(Path home, SimConfig simConfig, int cps, int maxConcurrent, UnaryOperator<ServiceConfig> tweak) throws Exception {
        this(home, simConfig, cps, maxConcurrent, tweak, false);
    }

    /** With {@code media}, calls carry RTP both ways and the simulated callees speak the bundled corpus greetings. */
    public ServiceFixture(Path home, SimConfig simConfig, int cps, int maxConcurrent, UnaryOperator<ServiceConfig> tweak, boolean media) throws Exception {
        this(home, simConfig, cps, maxConcurrent, tweak, media, java.time.Clock.systemUTC(), null);
    }

    /**
     * With the service on {@code clock} (campaign windows and retries follow it), and the trunk allowing only
     * {@code callerIds} (any caller ID when null).
     */
    public ServiceFixture(Path home, SimConfig simConfig, int cps, int maxConcurrent, UnaryOperator<ServiceConfig> tweak, boolean media,
                          java.time.Clock clock, io.trunkline.engine.CallerIds callerIds) throws Exception {
        this.clock = clock;
        java.net.InetAddress loopback = java.net.InetAddress.getLoopbackAddress();
        sim = media
                ? CarrierSimulator.start(simConfig, TransportConfig.loopback(0, -1).withThreads(1),
                        new io.trunkline.sim.SimMedia(loopback, 46_000, 46_999, io.trunkline.sim.Greetings.bundled(), null))
                : CarrierSimulator.start(simConfig, TransportConfig.loopback(0, -1).withThreads(1));
        SipTarget trunk = new SipTarget("127.0.0.1", sim.udpAddress().getPort(), TransportType.UDP);
        EngineConfig engine = new EngineConfig(TransportConfig.loopback(0, -1).withThreads(1),
                List.of(new TrunkConfig("sim", trunk, cps, maxConcurrent, 0, 1, null, null, callerIds)), 0, 0, 10_000, 2, null, 0,
                media ? io.trunkline.media.MediaConfig.defaults(loopback, 47_000, 47_999) : null);
        this.engineConfig = engine;
        this.config = tweak.apply(ServiceConfig.defaults(home, 0, ApiKey.of("test", KEY, SECRET)));
        DialerService s;
        try {
            s = DialerService.start(config, engine, clock);
        } catch (Exception e) {
            sim.close();
            throw e;
        }
        service = s;
    }

    /** Stops the service (gracefully) and starts it again on the same store, trunk and clock. */
    public void restart() throws Exception {
        service.close();
        service = DialerService.start(config.withListen(new java.net.InetSocketAddress("127.0.0.1", 0)), engineConfig, clock);
    }

    public URI uri(String path) {
        return URI.create("http://127.0.0.1:" + service.port() + path);
    }

    public Reply post(String path, String body, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + KEY).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        for (int i = 0; i < headers.length; i += 2) b.setHeader(headers[i], headers[i + 1]);
        return send(b.build());
    }

    public Reply get(String path) throws Exception {
        return send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(10)).header("Authorization", "Bearer " + KEY).GET().build());
    }

    public Reply send(HttpRequest request) throws Exception {
        HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
        JsonNode json = null;
        if (r.headers().firstValue("Content-Type").orElse("").startsWith("application/json")) json = JSON.readTree(r.body());
        return new Reply(r.statusCode(), r.body(), json, r);
    }

    /** Polls the call until it has a final status, or fails after the deadline. */
    public JsonNode awaitEnded(String id, Duration within) throws Exception {
        long deadline = System.nanoTime() + within.toNanos();
        JsonNode last = null;
        while (System.nanoTime() < deadline) {
            last = get("/v1/calls/" + id).json();
            if (!last.path("ended_at").isNull()) return last;
            Thread.sleep(20);
        }
        throw new AssertionError("call " + id + " did not end within " + within + ": " + last);
    }

    public record Reply(int status, String body, JsonNode json, HttpResponse<String> raw) {}

    @Override
    public void close() throws Exception {
        try {
            service.close();
        } finally {
            sim.close();
        }
    }
}
