package io.trunkline.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.trunkline.sim.Behavior;
import io.trunkline.sim.SimConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The live dashboard in a real browser against the real service: headless Chromium (Debian's) driven by
 * playwright-core runs src/test/node/dashboard.mjs, which signs in, reads the page, pauses a running campaign with
 * its button and takes a screenshot; this test then holds what the page showed against the API's own answers.
 * Skipped without node, except on CI (CI=true), where a missing node is a failure; a missing Chromium always fails
 * (scripts/test.sh installs it).
 */
class DashboardTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path NODE = Path.of("/usr/bin/node");
    private static final Path NODE_SOURCES = Path.of("src/test/node");
    private static final Path NODE_WORK = Path.of("target/node");
    private static final Path SCREENSHOT = Path.of("target/dashboard.png").toAbsolutePath();
    private static final int RECIPIENTS = 24;
    private static final Set<Integer> BUSY = Set.of(1, 3, 9);
    private static final List<String> FINISHED = List.of("done", "failed", "dnc", "cancelled");

    /**
     * Zones spread round the globe, each with a prefix of valid numbers there (two digits follow): one of them is
     * always mid-afternoon, so the campaign's 08:00–21:00 window is open whenever the test runs.
     */
    private static final Map<String, String> ZONE_PREFIXES = Map.of(
            "Pacific/Honolulu", "+180855501", "America/Los_Angeles", "+141555501", "America/New_York", "+121255501",
            "Europe/London", "+4420794601", "Europe/Berlin", "+4930123456", "Asia/Dubai", "+971434567",
            "Asia/Kolkata", "+9144234567", "Asia/Tokyo", "+813123456", "Australia/Sydney", "+612555001");

    @TempDir
    Path home;

    @Test
    void theOperatorSeesTheLiveFiguresAndPausesACampaignFromThePage() throws Exception {
        boolean ci = "true".equalsIgnoreCase(System.getenv("CI"));
        if (!Files.isExecutable(NODE) && ci) throw new AssertionError("node is required on CI: " + NODE + " not found");
        Assumptions.assumeTrue(Files.isExecutable(NODE), "node not installed (" + NODE + "): dashboard browser test skipped");
        installPlaywright();

        String zone = zoneNearMidAfternoon(Instant.now());
        String prefix = ZONE_PREFIXES.get(zone);
        SimConfig sim = SimConfig.answerAll().withRingMs(400); // callees never hang up: the caller's time limit ends calls
        for (int i : BUSY) sim = sim.withNumber(phone(prefix, i).substring(1), Behavior.BUSY);

        try (ServiceFixture f = new ServiceFixture(home, sim, 10, 50, c -> c)) {
            // Three calls outside the campaign, held for the whole test: the live figures stay non-zero and still
            // once the campaign is paused, so what the page shows can be compared exactly.
            for (int i = 90; i < 93; i++) {
                var call = f.post("/v1/calls", "{\"from\":\"+14155550100\",\"to\":\"" + phone(prefix, i) + "\"}");
                assertEquals(201, call.status(), call.body());
            }
            String name = "Dashboard <check> & \"quotes\""; // shown verbatim only if the page escapes what it shows
            var created = f.post("/v1/campaigns", campaign(name, prefix, zone).toString());
            assertEquals(201, created.status(), created.body());
            String id = created.json().path("id").asText();
            assertEquals(RECIPIENTS, created.json().path("import").path("imported").asInt(), created.body());
            // A few calls in, a busy one among them, so the page has something of each kind to show.
            awaitCampaign(f, id, c -> c.path("progress").path("attempts").asInt() >= 5, "to make 5 attempts");

            JsonNode shown = runPage(f, id);
            System.out.println("DashboardTest: the page showed " + shown);
            JsonNode live = f.get("/v1/live").json();
            JsonNode api = f.get("/v1/campaigns/" + id).json();

            assertEquals("the API key is not valid", shown.path("invalid_key_message").asText().trim(), "a wrong key is refused in words");
            assertTrue(shown.path("key_in_session_storage").asBoolean(), "the key is kept in sessionStorage");
            assertEquals("paused", api.path("status").asText(), "the page's Pause button paused the campaign: " + api);
            assertRunningBeforePause(shown.path("before").path("campaign"), name);
            assertCampaignShown(shown.path("after").path("campaign"), api, name);
            assertLiveShown(shown.path("after"), live);
            assertScreenshot();
        }
    }

    // --- the campaign and the page run ------------------------------------------------------------------------

    /** The zone whose local time is closest to 14:30 now, the middle of the 08:00–21:00 window. */
    static String zoneNearMidAfternoon(Instant now) {
        LocalTime target = LocalTime.of(14, 30);
        Comparator<String> byDistance = Comparator.comparingLong(z -> {
            long minutes = Math.abs(Duration.between(target, now.atZone(ZoneId.of(z)).toLocalTime()).toMinutes());
            return Math.min(minutes, 24 * 60 - minutes);
        });
        return ZONE_PREFIXES.keySet().stream().min(byDistance.thenComparing(Comparator.naturalOrder())).orElseThrow();
    }

    private static String phone(String prefix, int index) {
        return prefix + String.format("%02d", index);
    }

    /**
     * Slow on purpose (1 cps, 3 at a time, 3 s calls): still running well after the browser has loaded. No
     * assistant, so every answered call counts as abandoned and the throttle soon holds it to one call at a time.
     */
    private static ObjectNode campaign(String name, String prefix, String zone) {
        ObjectNode c = JSON.createObjectNode();
        c.put("name", name);
        c.put("from", "+14155550100");
        c.put("trunk", "sim");
        c.putObject("call").put("time_limit", 3);
        c.put("concurrency", 3);
        c.put("cps", 1);
        ObjectNode window = c.putObject("window");
        window.putArray("days").add("mon").add("tue").add("wed").add("thu").add("fri").add("sat").add("sun");
        window.put("start", "08:00").put("end", "21:00");
        ArrayNode recipients = c.putArray("recipients");
        for (int i = 0; i < RECIPIENTS; i++) {
            recipients.addObject().put("phone", phone(prefix, i)).put("timezone", zone).put("first_name", "R" + i);
        }
        return c;
    }

    private static JsonNode awaitCampaign(ServiceFixture f, String id, Predicate<JsonNode> done, String what) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        JsonNode last = null;
        while (System.nanoTime() < deadline) {
            last = f.get("/v1/campaigns/" + id).json();
            if (done.test(last)) return last;
            Thread.sleep(100);
        }
        throw new AssertionError("campaign " + id + " did not come " + what + " within 30 s: " + last);
    }

    /** npm install of the pinned, locked playwright-core into target/node, beside a copy of the script. */
    private static void installPlaywright() throws Exception {
        Files.createDirectories(NODE_WORK);
        for (String file : List.of("package.json", "package-lock.json", "dashboard.mjs")) {
            Files.copy(NODE_SOURCES.resolve(file), NODE_WORK.resolve(file), StandardCopyOption.REPLACE_EXISTING);
        }
        Result npm = run(NODE_WORK, Duration.ofMinutes(5), "npm", "install", "--no-audit", "--no-fund", "--loglevel=error");
        assertEquals(0, npm.exit(), "npm install in " + NODE_WORK + " failed:\n" + npm.stdout() + npm.stderr());
    }

    private static JsonNode runPage(ServiceFixture f, String id) throws Exception {
        Files.deleteIfExists(SCREENSHOT);
        String base = f.uri("/").toString();
        Result page = run(NODE_WORK, Duration.ofMinutes(2), NODE.toString(), "dashboard.mjs", base, ServiceFixture.KEY, id, SCREENSHOT.toString());
        assertEquals(0, page.exit(), "dashboard.mjs failed:\n" + page.stderr() + page.stdout());
        String[] lines = page.stdout().strip().split("\n");
        return JSON.readTree(lines[lines.length - 1]);
    }

    record Result(int exit, String stdout, String stderr) {}

    private static Result run(Path dir, Duration timeout, String... command) throws Exception {
        Path out = Files.createTempFile("dashboard-test", ".out");
        Path err = Files.createTempFile("dashboard-test", ".err");
        try {
            Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!p.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError(String.join(" ", command) + " did not finish within " + timeout + ":\n" + Files.readString(err));
            }
            return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    // --- what the page showed against the API ------------------------------------------------------------------

    private static void assertRunningBeforePause(JsonNode before, String name) {
        assertEquals("running", before.path("status").asText(), "the campaign was running when the page loaded: " + before);
        assertEquals(name, before.path("name").asText(), "the name is shown verbatim (escaped, not parsed as HTML)");
        assertEquals("pause", before.path("buttons").path(0).path("class").asText(), "a running campaign offers Pause: " + before);
        int sum = 0;
        for (JsonNode n : before.path("by_status")) sum += n.asInt();
        assertEquals(RECIPIENTS, sum, "the counts by status add up to the recipients: " + before);
    }

    private static void assertCampaignShown(JsonNode shown, JsonNode api, String name) {
        assertNotNull(shown, "the page showed the campaign");
        JsonNode progress = api.path("progress");
        assertEquals(api.path("id").asText(), shown.path("id").asText());
        assertEquals(name, shown.path("name").asText());
        assertEquals("paused", shown.path("status").asText());
        assertEquals("resume", shown.path("buttons").path(0).path("class").asText(), "a paused campaign offers Resume: " + shown);
        Map<String, Integer> apiCounts = new HashMap<>();
        progress.path("by_status").properties().forEach(e -> apiCounts.put(e.getKey(), e.getValue().asInt()));
        shown.path("by_status").properties().forEach(e ->
                assertEquals(apiCounts.getOrDefault(e.getKey(), 0), e.getValue().asInt(), "recipients " + e.getKey() + ": page " + shown + " API " + progress));
        int finished = FINISHED.stream().mapToInt(s -> apiCounts.getOrDefault(s, 0)).sum();
        int total = progress.path("recipients").asInt();
        assertEquals(RECIPIENTS, total);
        assertTrue(shown.path("progress").asText().startsWith(finished + " / " + total), "progress " + shown.path("progress") + " vs " + finished + "/" + total);
        assertTrue(finished > 0, "some recipients were finished before the pause (the bar shows something): " + progress);
        assertEquals(String.format(java.util.Locale.ROOT, "%.1f %%", progress.path("abandonment").path("rate_percent").asDouble()),
                shown.path("abandonment").asText().replaceFirst("throttled.*", "").trim(), "abandonment rate");
        JsonNode abandonment = progress.path("abandonment");
        if (abandonment.path("throttled").asBoolean()) {
            assertTrue(shown.path("abandonment").asText().endsWith("throttled to " + abandonment.path("concurrency_now").asInt() + " at a time"),
                    "the throttle is shown: " + shown.path("abandonment") + " vs " + abandonment);
        }
        assertTrue(shown.path("rate").asText().matches("\\d+\\.\\d cps"), "rate " + shown.path("rate"));
        assertEquals("—", shown.path("eta").asText(), "no ETA while paused");
    }

    private static void assertLiveShown(JsonNode shown, JsonNode live) {
        JsonNode rows = shown.path("trunks");
        assertEquals(live.path("trunks").size(), rows.size(), "one row per trunk: " + rows + " vs " + live.path("trunks"));
        for (JsonNode trunk : live.path("trunks")) {
            JsonNode row = find(rows, trunk.path("name").asText());
            for (String field : List.of("cps_used", "cps_limit", "calls", "concurrency_limit")) {
                assertEquals(trunk.path(field).asInt(), row.path(field).asInt(), "trunk " + field + ": page " + row + " API " + trunk);
            }
            assertEquals(trunk.path("down").asBoolean() ? "down" : "up", row.path("state").asText());
        }
        JsonNode states = shown.path("calls_by_state");
        live.path("calls_by_state").properties().forEach(e ->
                assertEquals(e.getValue().asInt(), states.path(e.getKey()).asInt(-1), "calls " + e.getKey() + ": page " + states + " API " + live.path("calls_by_state")));
        states.properties().forEach(e ->
                assertEquals(live.path("calls_by_state").path(e.getKey()).asInt(0), e.getValue().asInt(), "calls " + e.getKey() + " (absent from the API is 0)"));
        assertTrue(states.path("in-progress").asInt() >= 3, "the three held calls are shown in progress: " + states);

        Set<String> apiSeries = new TreeSet<>();
        for (JsonNode second : live.path("series")) second.fieldNames().forEachRemaining(apiSeries::add);
        apiSeries.remove("t");
        Set<String> lines = new TreeSet<>();
        for (JsonNode line : shown.path("plot").path("polylines")) {
            lines.add(line.path("series").asText());
            assertTrue(line.path("points").asInt() > 0, "a polyline with points: " + line);
        }
        List<String> legend = new ArrayList<>();
        shown.path("plot").path("legend").forEach(n -> legend.add(n.asText()));
        assertTrue(apiSeries.contains("started"), "the API's series has calls started: " + apiSeries);
        assertEquals(apiSeries, lines, "one polyline per series");
        assertEquals(apiSeries, new TreeSet<>(legend), "one legend entry per series");
    }

    private static JsonNode find(JsonNode rows, String name) {
        for (JsonNode row : rows) if (name.equals(row.path("name").asText())) return row;
        throw new AssertionError("no row for trunk " + name + " in " + rows);
    }

    private static void assertScreenshot() throws IOException {
        assertTrue(Files.isRegularFile(SCREENSHOT), "screenshot at " + SCREENSHOT);
        byte[] png = Files.readAllBytes(SCREENSHOT);
        assertTrue(png.length > 10 * 1024, "a non-trivial screenshot: " + png.length + " bytes");
        byte[] magic = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
        for (int i = 0; i < magic.length; i++) assertEquals(magic[i], png[i], "PNG magic at byte " + i);
        assertTrue(new String(png, 12, 4, StandardCharsets.US_ASCII).equals("IHDR"), "a PNG header chunk");
    }
}
