package io.trunkline.bench.service;

import io.trunkline.engine.Call;
import io.trunkline.engine.CallRequest;
import io.trunkline.engine.Engine;
import io.trunkline.engine.EngineConfig;
import io.trunkline.engine.TrunkConfig;
import io.trunkline.service.DialerService;
import io.trunkline.service.config.ApiKey;
import io.trunkline.service.config.ServiceConfig;
import io.trunkline.service.store.StoreSettings;
import io.trunkline.sim.CarrierSimulator;
import io.trunkline.sim.SimConfig;
import io.trunkline.sip.transport.TransportConfig;
import io.trunkline.sip.transport.TransportType;
import io.trunkline.sip.ua.SipTarget;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.locks.LockSupport;

/**
 * The dialer service's two figures, each against its baseline in the same run (a load harness, not JMH: what is
 * measured crosses sockets and a database).
 *
 * <ul>
 *   <li>{@code latency}: POST /v1/calls to the INVITE's arrival at the carrier simulator, paced at a rate, against
 *       {@code Engine.dial()} to the INVITE's arrival, on a second engine in the same process at the same rate. Both
 *       clocks are the same JVM's; the i-th INVITE to arrive belongs to the i-th call sent, since one thread sends
 *       in order and each side has one SIP I/O thread.</li>
 *   <li>{@code accept}: batches of 1,000 scheduled calls (accepted and journalled, none dialled) posted back to back:
 *       calls accepted per second.</li>
 * </ul>
 *
 * {@code java -cp benchmarks/target/benchmarks.jar io.trunkline.bench.service.ServiceBench latency|accept
 * [rate|batches] [calls] [sqlite|postgres]}; PostgreSQL from TRUNKLINE_BENCH_PG_URL, _USER, _PASSWORD.
 */
public final class ServiceBench {
    private static final String KEY = "bench-key-0123456789abcdef";

    public static void main(String[] args) throws Exception {
        String mode = args.length > 0 ? args[0] : "latency";
        String store = args.length > 3 ? args[3] : "sqlite";
        Path home = Files.createTempDirectory("trunkline-bench");
        StoreSettings settings = store.equals("postgres")
                ? StoreSettings.postgres(System.getenv("TRUNKLINE_BENCH_PG_URL"), System.getenv("TRUNKLINE_BENCH_PG_USER"), System.getenv("TRUNKLINE_BENCH_PG_PASSWORD"), 8)
                : StoreSettings.sqlite(home.resolve("bench.db"));
        try (CarrierSimulator sim = CarrierSimulator.start(SimConfig.answerAll().withHoldMs(50), TransportConfig.loopback(0, -1).withThreads(1))) {
            SipTarget trunk = new SipTarget("127.0.0.1", sim.udpAddress().getPort(), TransportType.UDP);
            int rate = args.length > 1 ? Integer.parseInt(args[1]) : 500;
            int calls = args.length > 2 ? Integer.parseInt(args[2]) : 5000;
            EngineConfig engine = new EngineConfig(TransportConfig.loopback(0, -1).withThreads(1),
                    List.of(new TrunkConfig("sim", trunk, Math.max(10, rate * 2), 100_000, 0, 1, null, null)), 0, 0, 1_000_000, 1, null);
            ServiceConfig config = ServiceConfig.defaults(home, 0, ApiKey.of("bench", KEY, "bench-webhook-secret-0123456"))
                    .withStore(settings).withMaxWaiting(10_000_000);
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            if (mode.equals("webhooks")) {
                webhooks(settings, rate, calls, args.length > 4 && args[4].equals("heap-only"));
                return;
            }
            if (mode.equals("accept")) {
                try (DialerService service = DialerService.start(config, engine)) {
                    accept(http, service.port(), rate, store);
                }
                return;
            }
            // the baseline first, on a cold engine as well, then the service; then the baseline again
            long[] engineA = engineLatency(sim, engine, rate, calls);
            long[] api;
            try (DialerService service = DialerService.start(config, engine)) {
                healthz(http, service.port(), rate, calls);
                api = apiLatency(http, sim, service.port(), rate, calls);
            }
            long[] engineB = engineLatency(sim, engine, rate, calls);
            System.out.printf(Locale.ROOT, "rate %d/s, %d calls each, store %s%n", rate, calls, settings);
            report("Engine.dial() -> INVITE at simulator (before)", engineA);
            report("POST /v1/calls -> INVITE at simulator", api);
            report("Engine.dial() -> INVITE at simulator (after)", engineB);
            System.out.printf(Locale.ROOT, "added by HTTP + store against the warm engine: p50 %.2f ms, p99 %.2f ms%n",
                    (pct(api, 50) - pct(engineB, 50)) / 1e6, (pct(api, 99) - pct(engineB, 99)) / 1e6);
        }
    }

    private static long[] engineLatency(CarrierSimulator sim, EngineConfig config, int rate, int calls) throws Exception {
        try (Engine engine = Engine.start(config)) {
            int base = sim.stats().inviteArrivals().length;
            long[] sent = new long[calls];
            long period = 1_000_000_000L / rate, next = System.nanoTime();
            List<Call> placed = new ArrayList<>(calls);
            for (int i = 0; i < calls; i++) {
                next = pace(next, period);
                sent[i] = System.nanoTime();
                placed.add(engine.dial(CallRequest.of("+15550100001", "+1555" + (2_000_000 + i))));
            }
            for (Call c : placed) c.ended().get();
            return deltas(sim, base, sent);
        }
    }

    private static long[] apiLatency(HttpClient http, CarrierSimulator sim, int port, int rate, int calls) throws Exception {
        int base = sim.stats().inviteArrivals().length;
        long[] sent = new long[calls];
        long[] answered = new long[calls];
        long period = 1_000_000_000L / rate, next = System.nanoTime();
        URI uri = URI.create("http://127.0.0.1:" + port + "/v1/calls");
        for (int i = 0; i < calls; i++) {
            next = pace(next, period);
            sent[i] = System.nanoTime();
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri).header("Authorization", "Bearer " + KEY)
                    .POST(HttpRequest.BodyPublishers.ofString("{\"from\":\"+15550100001\",\"to\":\"+1555" + (3_000_000 + i) + "\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 201) throw new IllegalStateException("POST answered " + r.statusCode() + ": " + r.body());
            answered[i] = System.nanoTime() - sent[i];
        }
        Arrays.sort(answered);
        report("POST /v1/calls -> 201 at the client", answered);
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (sim.stats().inviteArrivals().length < base + calls && System.nanoTime() < deadline) Thread.sleep(10);
        return deltas(sim, base, sent);
    }

    /** The HTTP round trip alone, same client, same pacing: what the store and dispatch add is the rest. */
    private static void healthz(HttpClient http, int port, int rate, int calls) throws Exception {
        long[] took = new long[calls];
        long period = 1_000_000_000L / rate, next = System.nanoTime();
        HttpRequest get = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/healthz")).GET().build();
        for (int i = 0; i < calls; i++) {
            next = pace(next, period);
            long t = System.nanoTime();
            http.send(get, HttpResponse.BodyHandlers.ofString());
            took[i] = System.nanoTime() - t;
        }
        Arrays.sort(took);
        report("GET /healthz round trip (HTTP alone)", took);
    }

    /** Waits for the next slot of an open-loop schedule (absolute deadlines, so a late slot does not shift the rest). */
    private static long pace(long previous, long period) {
        long next = previous + period;
        while (System.nanoTime() < next) LockSupport.parkNanos(next - System.nanoTime());
        return next;
    }

    private static long[] deltas(CarrierSimulator sim, int base, long[] sent) throws InterruptedException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        long[] arrivals;
        while ((arrivals = sim.stats().inviteArrivals()).length < base + sent.length && System.nanoTime() < deadline) Thread.sleep(10);
        if (arrivals.length < base + sent.length) throw new IllegalStateException("only " + (arrivals.length - base) + " of " + sent.length + " INVITEs arrived");
        long[] d = new long[sent.length];
        for (int i = 0; i < sent.length; i++) d[i] = arrivals[base + i] - sent[i];
        Arrays.sort(d);
        return d;
    }

    private static void accept(HttpClient http, int port, int batches, String store) throws Exception {
        URI uri = URI.create("http://127.0.0.1:" + port + "/v1/calls/batch");
        String later = Instant.now().plusSeconds(86_400).toString();
        long total = 0, start = 0;
        long[] each = new long[batches];
        for (int b = -3; b < batches; b++) { // three batches of warm-up
            StringBuilder body = new StringBuilder("{\"defaults\":{\"from\":\"+15550100001\",\"schedule\":{\"earliest_at\":\"" + later + "\"}},\"recipients\":[");
            for (int i = 0; i < 1000; i++) body.append(i == 0 ? "" : ",").append("{\"to\":\"+1555").append(4_000_000 + (b + 3) * 1000 + i).append("\",\"metadata\":{\"row\":").append(i).append("}}");
            String json = body.append("]}").toString();
            if (b == 0) start = System.nanoTime();
            long t = System.nanoTime();
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri).header("Authorization", "Bearer " + KEY)
                    .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 201 || !r.body().contains("\"accepted\":1000")) throw new IllegalStateException(r.statusCode() + " " + r.body().substring(0, Math.min(300, r.body().length())));
            if (b >= 0) {
                each[b] = System.nanoTime() - t;
                total += 1000;
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        Arrays.sort(each);
        System.out.printf(Locale.ROOT, "store %s: %d calls in %d batches of 1000 accepted and journalled in %.2f s: %.0f calls/s; batch p50 %.1f ms, max %.1f ms%n",
                store, total, batches, seconds, total / seconds, each[batches / 2] / 1e6, each[batches - 1] / 1e6);
    }

    /**
     * {@code webhooks DELAY_MS EVENTS}: EVENTS events (5 per call) in the store's outbox, delivered to a receiver that
     * takes DELAY_MS per request, with the default settings (16 workers, at most 8 to one endpoint). Reports the
     * delivery rate against the ceiling the settings allow, and the heap in use while most events still wait.
     */
    private static void webhooks(StoreSettings settings, int delayMs, int events, boolean heapOnly) throws Exception {
        com.sun.net.httpserver.HttpServer receiver = com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress("127.0.0.1", 0), 512);
        java.util.concurrent.atomic.AtomicInteger received = new java.util.concurrent.atomic.AtomicInteger();
        receiver.setExecutor(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
        receiver.createContext("/", ex -> {
            ex.getRequestBody().readAllBytes();
            try {
                Thread.sleep(delayMs);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            received.incrementAndGet();
            ex.sendResponseHeaders(200, -1);
            ex.close();
        });
        receiver.start();
        String url = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook";
        try (io.trunkline.service.store.JdbcCallStore store = io.trunkline.service.store.JdbcCallStore.open(settings)) {
            int calls = events / 5;
            for (int b = 0; b < calls; b += 1000) {
                List<io.trunkline.service.store.NewCall> batch = new ArrayList<>();
                for (int i = b; i < Math.min(calls, b + 1000); i++) {
                    batch.add(new io.trunkline.service.store.NewCall("CA" + String.format("%032x", i), "queued", "+15550100001", "+1555" + (5_000_000 + i),
                            "bench", Instant.now(), null, null, "{}", "{}"));
                }
                store.accept(null, "h", batch, "r");
                for (var c : batch) {
                    List<io.trunkline.service.store.NewEvent> evs = new ArrayList<>();
                    for (String t : List.of("ringing", "answered", "machine_detection", "dtmf", "completed")) {
                        evs.add(new io.trunkline.service.store.NewEvent(t, "{\"call_id\":\"" + c.id() + "\",\"metadata\":{\"row\":1}}", url));
                    }
                    store.update(c.id(), "completed", "{}", true, evs);
                }
            }
            System.gc();
            long heapBefore = Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory();
            var settingsW = io.trunkline.service.webhook.WebhookSettings.defaults();
            var registry = new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
            long start = System.nanoTime();
            long heapDuring = 0;
            try (var deliverer = new io.trunkline.service.webhook.WebhookDeliverer(store, k -> "bench-webhook-secret-0123456".getBytes(), settingsW, registry, java.time.Clock.systemUTC())) {
                deliverer.start();
                long deadline = System.nanoTime() + 600_000_000_000L;
                while (received.get() < events && System.nanoTime() < deadline && !(heapOnly && heapDuring > 0)) {
                    Thread.sleep(100);
                    if (received.get() >= 400 && heapDuring == 0) { // the same point whatever the backlog
                        System.gc();
                        heapDuring = Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory();
                    }
                }
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            double ceiling = settingsW.perEndpointLimit() * 1000.0 / delayMs;
            System.out.printf(Locale.ROOT, "webhooks: %d events (%d calls) to one receiver taking %d ms each, store %s: %d delivered in %.1f s = %.0f/s"
                            + " (ceiling %d in flight / %d ms = %.0f/s); heap after GC %.1f MB before delivery, %.1f MB after 400 deliveries with about %d events still waiting%n",
                    events, calls, delayMs, settings, received.get(), seconds, received.get() / seconds, settingsW.perEndpointLimit(), delayMs, ceiling,
                    heapBefore / 1e6, heapDuring / 1e6, events - 400);
        } finally {
            receiver.stop(0);
        }
    }

    private static void report(String what, long[] sorted) {
        System.out.printf(Locale.ROOT, "%-48s p50 %.2f ms  p99 %.2f ms  max %.2f ms%n", what, pct(sorted, 50) / 1e6, pct(sorted, 99) / 1e6, sorted[sorted.length - 1] / 1e6);
    }

    private static long pct(long[] sorted, int p) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(sorted.length * p / 100.0) - 1)];
    }
}
