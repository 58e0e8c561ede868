package io.trunkline.bench.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.trunkline.engine.EngineConfig;
import io.trunkline.engine.TrunkConfig;
import io.trunkline.service.DialerService;
import io.trunkline.service.api.CampaignsApi;
import io.trunkline.service.campaign.CallingWindow;
import io.trunkline.service.campaign.CampaignScheduler;
import io.trunkline.service.campaign.RecipientImporter;
import io.trunkline.service.config.ApiKey;
import io.trunkline.service.config.CampaignSettings;
import io.trunkline.service.config.ServiceConfig;
import io.trunkline.service.store.Campaign;
import io.trunkline.service.store.JdbcCallStore;
import io.trunkline.service.store.StoreSettings;
import io.trunkline.sim.CarrierSimulator;
import io.trunkline.sim.SimConfig;
import io.trunkline.sip.transport.TransportConfig;
import io.trunkline.sip.transport.TransportType;
import io.trunkline.sip.ua.SipTarget;

import java.io.BufferedWriter;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Campaign figures, each with the baseline it is read against in the same run (a harness, not JMH: a database and
 * processes are part of what is measured).
 *
 * <ul>
 *   <li>{@code import ROWS [sqlite|postgres]}: a CSV of ROWS recipients in twenty-odd timezones (and, first, one
 *       tenth of it) streamed into a campaign: rows per second, and the heap's peak, to show memory does not grow
 *       with the file. Run it under a small {@code -Xmx} to make the point.</li>
 *   <li>{@code scheduler ROWS CPS SECONDS}: ROWS recipients imported, then the campaign scheduler alone releasing
 *       calls at CPS for SECONDS on a clock when a part of the zones is closed: calls released per second and the
 *       process's CPU, as a share of one core.</li>
 *   <li>{@code nodes RECIPIENTS CPS}: the same campaign run by one {@code DialerService} process and then by three,
 *       on one PostgreSQL and one simulated trunk of CPS: the CPS achieved at the carrier and the CPU per call
 *       summed over the node processes.</li>
 * </ul>
 */
public final class CampaignBench {
    private static final String KEY = "bench-key-0123456789abcdef";
    private static final String SECRET = "bench-webhook-secret-0123456";
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Area codes across every US zone (and Canada's), plus numbers abroad: many zone sets, as a national list has. */
    private static final String[] PREFIXES = {"+1212", "+1312", "+1303", "+1415", "+1907", "+1808", "+1305", "+1206", "+1602", "+1214",
            "+1617", "+1404", "+1702", "+1801", "+1504", "+1416", "+1604", "+1403", "+1902", "+1709", "+4420", "+61291", "+9122", "+4930"};

    public static void main(String[] args) throws Exception {
        String mode = args.length > 0 ? args[0] : "import";
        switch (mode) {
            case "import" -> importBench(args.length > 1 ? Integer.parseInt(args[1]) : 1_000_000, args.length > 2 ? args[2] : "sqlite");
            case "scheduler" -> schedulerBench(args.length > 1 ? Integer.parseInt(args[1]) : 1_000_000, args.length > 2 ? Integer.parseInt(args[2]) : 2000,
                    args.length > 3 ? Integer.parseInt(args[3]) : 10);
            case "nodes" -> nodesBench(args.length > 1 ? Integer.parseInt(args[1]) : 6000, args.length > 2 ? Integer.parseInt(args[2]) : 200);
            case "node" -> node(args);
            default -> throw new IllegalArgumentException("mode must be import, scheduler or nodes, got " + mode);
        }
        System.exit(0);
    }

    // ---- import ----

    static Path csv(Path dir, int rows) throws Exception {
        return csv(dir, rows, 0);
    }

    /** A list of {@code rows} numbers; lists of different {@code part} hold different numbers. */
    static Path csv(Path dir, int rows, int part) throws Exception {
        Path f = dir.resolve("list-" + rows + "-" + part + ".csv");
        try (BufferedWriter w = Files.newBufferedWriter(f)) {
            w.write("phone,first_name,account\n");
            for (int i = 0; i < rows; i++) {
                String prefix = PREFIXES[i % PREFIXES.length];
                // subscriber numbers each plan takes: 2xx-xxxx in North America, 7xxx xxxx in London, 2xxx xxxx elsewhere
                long base = prefix.startsWith("+1") ? 2_000_000L : prefix.startsWith("+4420") ? 70_000_000L : prefix.startsWith("+61") ? 200_000L : 20_000_000L;
                w.write(prefix + (base + (long) part * rows / PREFIXES.length + 1 + i / PREFIXES.length) + ",Name" + i + ",A-" + (100000 + i) + "\n");
            }
        }
        return f;
    }

    private static void importBench(int rows, String storeKind) throws Exception {
        Path dir = Files.createTempDirectory("trunkline-import");
        System.out.printf(Locale.ROOT, "import: max heap %d MB, %s store%n", Runtime.getRuntime().maxMemory() >> 20, storeKind);
        for (int n : new int[] {Math.max(1, rows / 10), rows}) {
            Path file = csv(dir, n);
            try (JdbcCallStore store = JdbcCallStore.open(store(storeKind, dir.resolve("import-" + n + ".db")))) {
                Instant now = Instant.parse("2027-01-04T17:00:00Z");
                String id = "CPbench" + n + "x" + System.nanoTime();
                store.campaigns().create(new Campaign(id, 0, "bench", "import", Campaign.PAUSED, "{}", now, null, now, null));
                HeapPeak peak = new HeapPeak();
                long cpu0 = processCpuNanos(), t0 = System.nanoTime();
                RecipientImporter.Result r;
                try (InputStream in = Files.newInputStream(file)) {
                    r = new RecipientImporter(store.campaigns(), id, CallingWindow.hours("08:00-21:00"), "US", now).csv(in);
                }
                long wall = System.nanoTime() - t0, cpu = processCpuNanos() - cpu0;
                peak.stop();
                System.out.printf(Locale.ROOT, "import: %,d rows (%.1f MB CSV) in %.2f s = %,.0f rows/s; imported %,d, rejected %,d; CPU %.2f s;"
                                + " heap used at most %d MB (sampled every 20 ms)%n",
                        n, Files.size(file) / 1e6, wall / 1e9, n / (wall / 1e9), r.imported(), r.rejected(), cpu / 1e9, peak.max() >> 20);
                if (!r.errors().isEmpty()) System.out.println("import: first error " + r.errors().get(0));
            }
        }
    }

    /** Samples the heap in use, so the peak of an import is seen (not only what is left after it). */
    static final class HeapPeak {
        private final AtomicLong max = new AtomicLong();
        private volatile boolean running = true;
        private final Thread t;

        HeapPeak() {
            MemoryMXBean m = ManagementFactory.getMemoryMXBean();
            t = new Thread(() -> {
                while (running) {
                    max.accumulateAndGet(m.getHeapMemoryUsage().getUsed(), Math::max);
                    try {
                        Thread.sleep(20);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
            t.setDaemon(true);
            t.start();
        }

        void stop() throws InterruptedException {
            running = false;
            t.join();
        }

        long max() { return max.get(); }
    }

    // ---- scheduler ----

    private static void schedulerBench(int rows, int cps, int seconds) throws Exception {
        Path dir = Files.createTempDirectory("trunkline-sched");
        // Monday 17:00Z: open in the Americas' mornings and in London; closed in Sydney, Mumbai (evening) and Hawaii (07:00)
        Instant at = Instant.parse("2027-01-04T17:00:00Z");
        Clock clock = Clock.fixed(at, ZoneOffset.UTC);
        // four campaigns of a quarter each (a campaign's concurrency is at most 10,000, and nothing here ends a call)
        int campaigns = 4;
        try (JdbcCallStore store = JdbcCallStore.open(StoreSettings.sqlite(dir.resolve("sched.db")))) {
            List<String> ids = new ArrayList<>();
            long t0 = System.nanoTime();
            long imported = 0;
            for (int k = 0; k < campaigns; k++) {
                String id = "CPsched" + k + "x" + System.nanoTime();
                ids.add(id);
                String settings = "{\"name\":\"sched\",\"from\":[\"+15550100001\"],\"call\":{},\"concurrency\":10000,\"cps\":" + cps / campaigns
                        + ",\"window\":{\"days\":[\"mon\",\"tue\",\"wed\",\"thu\",\"fri\"],\"start\":\"09:00\",\"end\":\"20:00\"},"
                        + "\"retry\":{},\"default_region\":\"US\",\"abandonment_cap_percent\":0}";
                store.campaigns().create(new Campaign(id, 0, "bench", "sched", Campaign.RUNNING, settings, at, at, null, null));
                try (InputStream in = Files.newInputStream(csv(dir, rows / campaigns, k))) {
                    imported += new RecipientImporter(store.campaigns(), id, new CallingWindow(java.util.EnumSet.range(java.time.DayOfWeek.MONDAY,
                            java.time.DayOfWeek.FRIDAY), java.time.LocalTime.of(9, 0), java.time.LocalTime.of(20, 0)), "US", at).csv(in).imported();
                }
            }
            System.out.printf(Locale.ROOT, "scheduler: %,d recipients in %d campaigns imported in %.1f s%n", imported, campaigns, (System.nanoTime() - t0) / 1e9);
            CampaignScheduler.Calls api = CampaignsApi.callsFor(store.campaigns(), CallingWindow.hours("08:00-21:00"));
            // bare: the calls the API would build, replaced by a constant one, to tell the scheduler's and store's part
            // from the cost of building a call
            boolean bare = Boolean.getBoolean("bench.bare");
            CampaignScheduler.Calls calls = !bare ? api : new CampaignScheduler.Calls() {
                @Override public io.trunkline.service.campaign.CampaignRules rules(Campaign c) { return api.rules(c); }

                @Override public io.trunkline.service.store.NewCall call(Campaign c, io.trunkline.service.store.Recipient r, Instant now, Instant notAfter) {
                    String id = "CA" + java.util.UUID.randomUUID().toString().replace("-", "");
                    return new io.trunkline.service.store.NewCall(id, "queued", "+15550100001", r.phone(), c.apiKeyId(), now, null, notAfter,
                            "{}", "{}", null, c.id(), r.line());
                }

                @Override public io.trunkline.service.store.NewEvent event(Campaign c, String type, String status, Instant now) { return api.event(c, type, status, now); }
            };
            CampaignScheduler scheduler = new CampaignScheduler(store.campaigns(), calls, clock, () -> 1, () -> { }, () -> { });
            scheduler.start();
            Thread.sleep(Math.max(2, seconds / 3) * 1000L); // warm-up: the JIT compiles the round, the first closed recipients move on
            long released0 = released(store, ids), cpu0 = processCpuNanos(), w0 = System.nanoTime();
            Thread.sleep((seconds - Math.max(2, seconds / 3)) * 1000L);
            long released = released(store, ids) - released0, wall = System.nanoTime() - w0, cpu = processCpuNanos() - cpu0;
            scheduler.close();
            System.out.printf(Locale.ROOT, "scheduler: after warm-up, released %,d calls in %.2f s = %,.0f calls/s (asked %d); process CPU %.2f s = %.1f %% of"
                    + " one core (%.1f µs per call)%n", released, wall / 1e9, released / (wall / 1e9), cps, cpu / 1e9, 100.0 * cpu / wall, cpu / 1e3 / Math.max(1, released));
        }
    }

    private static long released(JdbcCallStore store, List<String> ids) {
        long n = 0;
        for (String id : ids) n += store.campaigns().calling(id);
        return n;
    }

    // ---- nodes ----

    private static void nodesBench(int recipients, int cps) throws Exception {
        String url = System.getenv("TRUNKLINE_BENCH_PG_URL");
        if (url == null) throw new IllegalStateException("set TRUNKLINE_BENCH_PG_URL, _USER, _PASSWORD (a PostgreSQL for the nodes)");
        for (int n : new int[] {1, 3}) {
            Path dir = Files.createTempDirectory("trunkline-nodes");
            Path log = dir.resolve("invites.log");
            try (CarrierSimulator sim = CarrierSimulator.start(SimConfig.answerAll().withRingMs(50).withHoldMs(300).withCpsLimit(cps),
                    TransportConfig.loopback(0, -1).withThreads(1))) {
                sim.logInvitesTo(log);
                String schema = "bn" + Long.toHexString(System.nanoTime());
                List<Process> nodes = new ArrayList<>();
                List<Integer> ports = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    Path portFile = dir.resolve("port-" + i);
                    String java = ProcessHandle.current().info().command().orElse("java");
                    ProcessBuilder pb = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow",
                            "-XX:+UseZGC", "-Xmx512m", "-Dio.netty.leakDetection.level=disabled", "-cp", System.getProperty("java.class.path"),
                            CampaignBench.class.getName(), "node", String.valueOf(sim.udpAddress().getPort()), url + "?currentSchema=" + schema,
                            "node-" + i, portFile.toString(), String.valueOf(cps), String.valueOf(43_000 + 1500 * i))
                            .redirectErrorStream(true).redirectOutput(dir.resolve("node-" + i + ".log").toFile());
                    nodes.add(pb.start());
                    long deadline = System.nanoTime() + 60_000_000_000L;
                    while (!Files.exists(portFile) || Files.readString(portFile).isBlank()) {
                        if (System.nanoTime() > deadline || !nodes.get(i).isAlive()) throw new IllegalStateException("node " + i + " did not start; see " + dir);
                        Thread.sleep(50);
                    }
                    ports.add(Integer.parseInt(Files.readString(portFile).strip()));
                }
                Thread.sleep(3500); // the nodes' join wait: all of them dialling from the start
                long cpu0 = nodes.stream().mapToLong(CampaignBench::cpuNanos).sum();
                StringBuilder csv = new StringBuilder("phone,timezone\n");
                for (int i = 0; i < recipients; i++) csv.append("+1212").append(2000000 + i).append(",Europe/London\n");
                String settings = "{\"name\":\"nodes\",\"from\":\"+15550100001\",\"cps\":" + cps + ",\"concurrency\":2000,\"abandonment_cap_percent\":0,"
                        + "\"window\":{\"start\":\"00:00\",\"end\":\"24:00\"}}";
                JsonNode c = post(ports.get(0), settings, csv.toString());
                String id = c.get("id").asText();
                long deadline = System.nanoTime() + 600_000_000_000L;
                while (System.nanoTime() < deadline && !get(ports.get(0), "/v1/campaigns/" + id).get("status").asText().equals("completed")) Thread.sleep(200);
                long cpu = nodes.stream().mapToLong(CampaignBench::cpuNanos).sum() - cpu0;
                List<Long> at = new ArrayList<>();
                for (String l : Files.readAllLines(log)) if (l.split(" ").length >= 3) at.add(Long.parseLong(l.split(" ")[0]));
                at.sort(null);
                double span = (at.get(at.size() - 1) - at.get(0)) / 1000.0;
                System.out.printf(Locale.ROOT, "nodes: %d node(s), %,d recipients, trunk %d CPS: %,d INVITEs in %.1f s = %.1f CPS at the carrier;"
                                + " densest second %d; node CPU %.1f s = %.0f µs per call%n",
                        n, recipients, cps, at.size(), span, (at.size() - 1) / span, maxInAnySecond(at), cpu / 1e9, cpu / 1e3 / at.size());
                for (Process p : nodes) {
                    p.destroy();
                    p.waitFor(30, TimeUnit.SECONDS);
                }
            }
        }
    }

    /** One dialer node for {@code nodes}: the service on PostgreSQL, the simulator as its trunk; writes its HTTP port. */
    private static void node(String[] a) throws Exception {
        int simPort = Integer.parseInt(a[1]);
        int cps = Integer.parseInt(a[5]);
        int mediaFrom = Integer.parseInt(a[6]);
        java.net.InetAddress loopback = java.net.InetAddress.getLoopbackAddress();
        EngineConfig engine = new EngineConfig(TransportConfig.loopback(0, -1).withThreads(1),
                List.of(new TrunkConfig("sim", new SipTarget("127.0.0.1", simPort, TransportType.UDP), cps, 2000, 0, 1, null, null)),
                0, 0, 20_000, 2, null, 0, io.trunkline.media.MediaConfig.defaults(loopback, mediaFrom, mediaFrom + 1400));
        Path home = Files.createTempDirectory("trunkline-node");
        ServiceConfig config = ServiceConfig.defaults(home, 0, ApiKey.of("bench", KEY, SECRET))
                .withStore(StoreSettings.postgres(a[2], System.getenv("TRUNKLINE_BENCH_PG_USER"), System.getenv("TRUNKLINE_BENCH_PG_PASSWORD"), 8))
                .withCampaigns(new CampaignSettings(CallingWindow.hours("00:00-24:00"), null, a[3]));
        DialerService s = DialerService.start(config, engine);
        Files.writeString(Path.of(a[4]), String.valueOf(s.port()));
        Thread.currentThread().join();
    }

    static int maxInAnySecond(List<Long> sorted) {
        int worst = 0;
        for (int i = 0, j = 0; i < sorted.size(); i++) {
            while (sorted.get(i) - sorted.get(j) >= 1000) j++;
            worst = Math.max(worst, i - j + 1);
        }
        return worst;
    }

    private static long cpuNanos(Process p) {
        return p.info().totalCpuDuration().map(Duration::toNanos).orElse(0L);
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private static StoreSettings store(String kind, Path sqlite) {
        return kind.equals("postgres")
                ? StoreSettings.postgres(System.getenv("TRUNKLINE_BENCH_PG_URL") + "?currentSchema=bi" + Long.toHexString(System.nanoTime()),
                        System.getenv("TRUNKLINE_BENCH_PG_USER"), System.getenv("TRUNKLINE_BENCH_PG_PASSWORD"), 4)
                : StoreSettings.sqlite(sqlite);
    }

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private static JsonNode post(int port, String settings, String csv) throws Exception {
        String boundary = "----bench" + System.nanoTime();
        String body = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"campaign\"\r\n\r\n" + settings + "\r\n--" + boundary
                + "\r\nContent-Disposition: form-data; name=\"recipients\"; filename=\"l.csv\"\r\nContent-Type: text/csv\r\n\r\n" + csv + "\r\n--" + boundary + "--\r\n";
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/campaigns"))
                .header("Authorization", "Bearer " + KEY).header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 201) throw new IllegalStateException("create: " + r.statusCode() + " " + r.body());
        return JSON.readTree(r.body());
    }

    private static JsonNode get(int port, String path) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Authorization", "Bearer " + KEY).GET().build(), HttpResponse.BodyHandlers.ofString());
        return JSON.readTree(r.body());
    }
}
