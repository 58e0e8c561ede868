package io.trunkline.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.trunkline.engine.EngineConfig;
import io.trunkline.engine.TrunkConfig;
import io.trunkline.service.DialerService;
import io.trunkline.service.config.ApiKey;
import io.trunkline.service.config.ServiceConfig;
import io.trunkline.sim.Behavior;
import io.trunkline.sim.CarrierSimulator;
import io.trunkline.sim.SimConfig;
import io.trunkline.sip.transport.TransportConfig;
import io.trunkline.sip.transport.TransportType;
import io.trunkline.sip.ua.SipTarget;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code ./trunkline campaign} against a real dialer service on loopback (the carrier simulator as its trunk), run
 * in-process as ./trunkline runs it; what the commands print is checked against what the HTTP API answers. The
 * service shares the JVM, so its log lines can land in the captured stdout: the checks match whole lines, not the
 * start of the output.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CampaignCommandTest {
    private static final String KEY = "campaign-cli-test-key-0123456789";
    private static final String BUSY = "+14155550107";
    private static final String DNC = "+14155550120";

    /** The service's home and the test's files, for the whole class (the service is shared by the tests). */
    private Path dir;

    private CarrierSimulator sim;
    private DialerService service;
    private String url;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(2)).build();

    @BeforeAll
    void start(@TempDir Path tempDir) throws Exception {
        dir = tempDir;
        // every call answered and hung up by the callee after 300 ms, but one number is always busy
        sim = CarrierSimulator.start(SimConfig.answerAll().withRingMs(100).withHoldMs(300).withNumber(BUSY.substring(1), Behavior.BUSY),
                TransportConfig.loopback(0, -1).withThreads(1));
        SipTarget trunk = new SipTarget("127.0.0.1", sim.udpAddress().getPort(), TransportType.UDP);
        EngineConfig engine = new EngineConfig(TransportConfig.loopback(0, -1).withThreads(1),
                List.of(new TrunkConfig("sim", trunk, 20, 50, 0, 1, null, null)), 0, 0, 10_000, 2, null, 0, null);
        Path home = Files.createDirectories(dir.resolve("home"));
        service = DialerService.start(ServiceConfig.defaults(home, 0, ApiKey.of("test", KEY, "campaign-cli-test-secret-0123")), engine);
        url = "http://127.0.0.1:" + service.port();
    }

    @AfterAll
    void stop() throws Exception {
        try {
            if (service != null) service.close();
        } finally {
            if (sim != null) sim.close();
        }
    }

    @Test
    void aCampaignFromItsCsvToCompletionThroughTheCli() throws Exception {
        ZoneId zone = callableZone();
        assertEquals(200, http("POST", "/v1/dnc", "{\"numbers\":[\"" + DNC + "\"]}").statusCode());
        // 30 rows: line 6 is not a number, line 12 repeats line 2; the rest are distinct and callable now
        StringBuilder csv = new StringBuilder("phone,first_name,timezone\n");
        for (int i = 0; i < 30; i++) {
            String phone = i == 4 ? "12" : i == 10 ? "+14155550100" : String.format("+141555501%02d", i);
            csv.append(phone).append(",Person").append(i).append(',').append(zone.getId()).append('\n');
        }
        Path file = dir.resolve("recipients.csv");
        Files.writeString(file, csv);

        CliRun created = CliRun.of("campaign", "create", "--url", url, "--api-key", KEY, "--name", "cli test", "--from", "+14155550199",
                "--csv", file.toString(), "--window", "mon-sun 09:00-20:00", "--concurrency", "5", "--cps", "5",
                "--retry", "busy=2/0", "--paused");
        assertEquals(0, created.exitCode(), created.out() + created.err());
        Matcher m = Pattern.compile("created campaign (\\S+) \\((\\w+)\\)").matcher(created.out());
        assertTrue(m.find(), created.out());
        String id = m.group(1);
        assertEquals("paused", m.group(2));
        Matcher counts = Pattern.compile("imported (\\d+), rejected (\\d+), do-not-call (\\d+)").matcher(created.out());
        assertTrue(counts.find(), created.out());
        // the server counts a do-not-call recipient in dnc, not in imported: 27 to call + 1 kept but never dialled
        assertEquals(27, Integer.parseInt(counts.group(1)), created.out());
        assertEquals(2, Integer.parseInt(counts.group(2)), created.out());
        assertEquals(1, Integer.parseInt(counts.group(3)), created.out());
        assertTrue(created.out().contains("line 6, phone: "), created.out());
        assertTrue(created.out().contains("line 12, phone: "), created.out());

        JsonNode api = get("/v1/campaigns/" + id);
        assertEquals("paused", api.path("status").asText());
        assertEquals(Long.parseLong(counts.group(1)) + Long.parseLong(counts.group(3)), api.path("progress").path("recipients").asLong());
        assertEquals(Long.parseLong(counts.group(3)), api.path("progress").path("by_status").path("dnc").asLong());
        assertEquals(List.of("mon", "tue", "wed", "thu", "fri", "sat", "sun"),
                Json.MAPPER.convertValue(api.path("settings").path("window").path("days"), List.class));
        assertEquals(2, api.path("settings").path("retry").path("busy").path("max_attempts").asInt());

        // list: the row holds the id, the name, the status and the API's done/total
        CliRun list = CliRun.of("campaign", "list", "--url", url, "--api-key", KEY);
        assertEquals(0, list.exitCode(), list.out() + list.err());
        String row = list.out().lines().filter(l -> l.startsWith(id)).findFirst().orElseThrow(() -> new AssertionError(list.out()));
        assertTrue(row.matches(Pattern.quote(id) + "\\s+cli test\\s+paused\\s+" + CampaignReport.finished(api) + "/28\\s.*"), row);
        CliRun completedOnly = CliRun.of("campaign", "list", "--status", "completed", "--url", url, "--api-key", KEY);
        assertEquals(0, completedOnly.exitCode(), completedOnly.err());
        assertFalse(completedOnly.out().contains(id), completedOnly.out());

        // a campaign created paused has never started: resume schedules it and the scheduler starts it at once
        String resumed = control(id, "resume");
        assertTrue(resumed.equals("scheduled") || resumed.equals("running"), resumed);
        awaitStatus(id, "running");
        assertEquals("paused", control(id, "pause"));
        assertEquals("paused", get("/v1/campaigns/" + id).path("status").asText());
        assertEquals("running", control(id, "resume"));
        assertEquals("running", get("/v1/campaigns/" + id).path("status").asText());

        // --watch into a pipe: plain lines, until the campaign completes
        CliRun watch = assertTimeoutPreemptively(Duration.ofSeconds(120),
                () -> CliRun.of("campaign", "show", id, "--watch", "--url", url, "--api-key", KEY));
        assertEquals(0, watch.exitCode(), watch.out() + watch.err());
        JsonNode done = get("/v1/campaigns/" + id);
        assertEquals("completed", done.path("status").asText(), done.toString());
        assertFalse(watch.out().contains("\r"), "no carriage returns into a pipe");
        List<String> bars = watch.out().lines().filter(l -> l.startsWith("[")).toList();
        assertTrue(bars.size() >= 2, watch.out());
        assertTrue(bars.getLast().contains("28/28  100%  completed"), watch.out());
        assertTrue(watch.out().contains("recipients  28 (28 finished): " + CampaignReport.counts(done.path("progress").path("by_status"))), watch.out());
        assertTrue(watch.out().contains("attempts    " + done.path("progress").path("attempts").asLong() + ": "
                + CampaignReport.counts(done.path("progress").path("outcomes"))), watch.out());

        CliRun show = CliRun.of("campaign", "show", id, "--url", url, "--api-key", KEY);
        assertEquals(0, show.exitCode(), show.err());
        assertTrue(show.out().lines().anyMatch(l -> l.equals(id + "  cli test  completed")), show.out());
        assertTrue(show.out().contains("abandonment "), show.out());

        // a completed campaign cannot be cancelled: the API's 409 message, exit 1
        CliRun cancel = CliRun.of("campaign", "cancel", id, "--url", url, "--api-key", KEY);
        HttpResponse<String> direct = http("POST", "/v1/campaigns/" + id + "/cancel", null);
        assertEquals(409, direct.statusCode(), direct.body());
        assertEquals(1, cancel.exitCode(), cancel.out() + cancel.err());
        String message = Json.MAPPER.readTree(direct.body()).path("message").asText();
        assertTrue(cancel.err().contains(message) && cancel.err().contains("(HTTP 409"), cancel.err());
    }

    /** Runs pause, resume or cancel; returns the status the command printed (the API's answer). */
    private String control(String id, String action) {
        CliRun run = CliRun.of("campaign", action, id, "--url", url, "--api-key", KEY);
        assertEquals(0, run.exitCode(), run.out() + run.err());
        Matcher m = Pattern.compile("^campaign " + Pattern.quote(id) + " (\\w+): \\d+/\\d+ recipients finished", Pattern.MULTILINE).matcher(run.out());
        assertTrue(m.find(), run.out());
        return m.group(1);
    }

    private void awaitStatus(String id, String status) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        String last;
        do {
            last = get("/v1/campaigns/" + id).path("status").asText();
            if (last.equals(status)) return;
            Thread.sleep(50);
        } while (System.nanoTime() < deadline);
        throw new AssertionError("campaign " + id + " is still " + last + ", not " + status);
    }

    @Test
    void anApiRefusalPrintsTheFieldAndMessageAndExits1() throws Exception {
        Path settings = dir.resolve("bad-settings.json");
        Files.writeString(settings, "{\"concurrency\": 0}"); // the CLI checks its flags, not the file: the server refuses
        CliRun run = CliRun.of("campaign", "create", "--url", url, "--api-key", KEY, "--name", "refused", "--from", "+14155550199",
                "--settings", settings.toString());
        assertEquals(1, run.exitCode(), run.out() + run.err());
        assertTrue(run.err().startsWith("error: concurrency: ") && run.err().contains("(HTTP 400 validation)"), run.err());
        assertFalse(run.err().contains("\tat "), "no stack trace: " + run.err());
    }

    @Test
    void aWrongKeyIsRefusedAndNeverPrinted() {
        String wrong = "wrong-key-that-must-not-appear-123";
        CliRun run = CliRun.of("campaign", "list", "--url", url, "--api-key", wrong);
        assertEquals(1, run.exitCode(), run.out() + run.err());
        assertTrue(run.err().contains("(HTTP 401 unauthorized)"), run.err());
        assertFalse((run.out() + run.err()).contains(wrong), run.out() + run.err());
    }

    @Test
    void anUnreachableServerIsNamedByItsUrl() throws Exception {
        int port = closedPort();
        CliRun run = CliRun.of("campaign", "show", "CP123", "--url", "http://127.0.0.1:" + port, "--api-key", KEY);
        assertEquals(1, run.exitCode(), run.out() + run.err());
        assertTrue(run.err().contains("cannot connect to http://127.0.0.1:" + port + ": connection refused"), run.err());
    }

    @Test
    void badFlagsExit2NamingTheFlagBeforeAnyRequest() throws Exception {
        // the URL has no server: a request would exit 1 with "cannot connect", so exit 2 proves none was made
        String nowhere = "http://127.0.0.1:" + closedPort();
        Map<String, List<String>> cases = Map.of(
                "--window must be DAYS HH:MM-HH:MM", List.of("--window", "weekdays 9-5"),
                "--cps must be 1 or more", List.of("--cps", "0"),
                "--concurrency must be 1..10000", List.of("--concurrency", "10001"),
                "--retry must be OUTCOME=ATTEMPTS/DELAY", List.of("--retry", "busy=0/600"),
                "--start-at must be an ISO-8601 instant", List.of("--start-at", "tomorrow"),
                "--csv ", List.of("--csv", dir.resolve("missing.csv").toString()));
        for (var c : cases.entrySet()) {
            List<String> args = new java.util.ArrayList<>(List.of("campaign", "create", "--url", nowhere, "--api-key", KEY,
                    "--name", "n", "--from", "+14155550199"));
            args.addAll(c.getValue());
            CliRun run = CliRun.of(args.toArray(String[]::new));
            assertEquals(2, run.exitCode(), c.getValue() + ": " + run.out() + run.err());
            assertTrue(run.err().contains("error: " + c.getKey()), c.getValue() + ": " + run.err());
        }
        CliRun status = CliRun.of("campaign", "list", "--status", "done", "--url", nowhere, "--api-key", KEY);
        assertEquals(2, status.exitCode(), status.err());
        assertTrue(status.err().contains("--status must be one of scheduled, running, paused, completed, cancelled"), status.err());
        CliRun id = CliRun.of("campaign", "pause", "../calls", "--url", nowhere, "--api-key", KEY);
        assertEquals(2, id.exitCode(), id.err());
        assertTrue(id.err().contains("ID must be a campaign id"), id.err());
    }

    @Test
    void theWindowFlagParsesDaysRangesListsAndHours() {
        WindowFlag w = WindowFlag.parse("--window", "mon-fri 09:00-20:00");
        assertEquals(List.of("mon", "tue", "wed", "thu", "fri"), w.dayNames());
        assertEquals(LocalTime.of(9, 0), w.start());
        assertEquals(LocalTime.of(20, 0), w.end());
        assertEquals("{\"days\":[\"mon\",\"tue\",\"wed\",\"thu\",\"fri\"],\"start\":\"09:00\",\"end\":\"20:00\"}", w.toJson().toString());
        assertEquals(List.of("mon", "fri", "sat", "sun"), WindowFlag.parse("--window", "fri-mon 10:00-12:00").dayNames());
        assertEquals(List.of("mon", "wed", "sat"), WindowFlag.parse("--window", "SAT,mon,wed 10:30-14:15").dayNames());
        assertEquals(7, WindowFlag.parse("--window", "08:00-21:00").days().size());
        assertEquals(7, WindowFlag.parse("--window", "daily 08:00-21:00").days().size());
        assertEquals(java.util.EnumSet.of(DayOfWeek.SUNDAY), WindowFlag.parse("--window", "sun 08:00-08:01").days());
        for (String bad : List.of("mon-fri 9-5", "mon-fry 09:00-20:00", "mon-fri 20:00-09:00", "mon-fri 09:00-09:00",
                "mon-fri 24:00-25:00", "mon-fri 09:00", "mon fri 09:00-20:00", "", "mon--fri 09:00-20:00", "mon-fri 9:00-20:00")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> WindowFlag.parse("--window", bad), bad);
            assertTrue(e.getMessage().startsWith("--window must be DAYS HH:MM-HH:MM"), e.getMessage());
            assertTrue(e.getMessage().contains("got '" + bad + "'"), e.getMessage());
        }
    }

    @Test
    void theRetryFlagParsesOutcomeAttemptsAndDelay() {
        assertEquals(new RetryFlag("busy", 3, 600), RetryFlag.parse("--retry", "busy=3/600"));
        assertEquals(new RetryFlag("no-answer", 2, 3600), RetryFlag.parse("--retry", "no-answer=2/1h"));
        assertEquals(new RetryFlag("no-answer", 2, 90), RetryFlag.parse("--retry", "no_answer=2/90s"));
        assertEquals(new RetryFlag("voicemail", 1, 0), RetryFlag.parse("--retry", "VOICEMAIL=1/0"));
        assertEquals(new RetryFlag("failed", 20, 2_592_000), RetryFlag.parse("--retry", "failed=20/30d"));
        assertEquals(new RetryFlag("busy", 4, 300), RetryFlag.parse("--retry", "busy=4/5m"));
        for (String bad : List.of("busy=0/600", "busy=21/1", "ringing=3/600", "busy=3", "busy=3/31d", "busy=3/2592001",
                "busy=3/-1", "busy=x/60", "=3/60", "busy=3/10w", "busy3/60")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RetryFlag.parse("--retry", bad), bad);
            assertTrue(e.getMessage().startsWith("--retry must be OUTCOME=ATTEMPTS/DELAY"), e.getMessage());
        }
    }

    @Test
    void theKeyComesFromTheFlagThenTheEnvThenServesFile() throws Exception {
        Path home = Files.createDirectories(dir.resolve("keyhome"));
        IllegalArgumentException none = assertThrows(IllegalArgumentException.class, () -> ApiOptions.resolveKey(null, Map.of(), home));
        assertTrue(none.getMessage().contains("--api-key") && none.getMessage().contains("TRUNKLINE_API_KEY")
                && none.getMessage().contains(home.resolve("api-key").toString()), none.getMessage());
        Files.writeString(home.resolve("api-key"), "tl_fromfile\n");
        assertEquals("tl_fromfile", ApiOptions.resolveKey(null, Map.of(), home));
        assertEquals("tl_fromenv", ApiOptions.resolveKey(null, Map.of("TRUNKLINE_API_KEY", "tl_fromenv"), home));
        assertEquals("tl_fromflag", ApiOptions.resolveKey("tl_fromflag", Map.of("TRUNKLINE_API_KEY", "tl_fromenv"), home));
        IllegalArgumentException spaced = assertThrows(IllegalArgumentException.class,
                () -> ApiOptions.resolveKey("tl secret", Map.of(), home));
        assertFalse(spaced.getMessage().contains("secret"), spaced.getMessage());
    }

    @Test
    void theUrlIsHttpOrHttpsOrServesListenForm() {
        ApiOptions o = new ApiOptions();
        o.url = "127.0.0.1:8080";
        assertEquals(URI.create("http://127.0.0.1:8080"), o.baseUri());
        o.url = "https://dialer.example.com/trunkline/";
        assertEquals(URI.create("https://dialer.example.com/trunkline"), o.baseUri());
        for (String bad : List.of("ftp://127.0.0.1:8080", "127.0.0.1", "http://", "127.0.0.1:0", "http://127.0.0.1:8080/?x=1")) {
            o.url = bad;
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, o::baseUri, bad);
            assertTrue(e.getMessage().startsWith("--url "), e.getMessage());
        }
    }

    @Test
    void theProgressLineAndDurations() throws Exception {
        JsonNode c = Json.MAPPER.readTree("""
                {"status":"running","progress":{"recipients":40,"by_status":{"pending":25,"calling":5,"done":8,"failed":2},
                 "rate_cps":4.75,"eta_s":152}}""");
        assertEquals("[#######.......................]  10/40   25%  running  4.8/s  ETA 2m32s", ProgressBar.line(c));
        assertEquals("45s", CampaignReport.duration(45));
        assertEquals("2h05m", CampaignReport.duration(7500));
        assertEquals("3d04h", CampaignReport.duration(3 * 86_400 + 4 * 3600 + 59));
    }

    /** A zone where it is between 09:30 and 19:00 now, so the recipients are callable for the test's minutes. */
    private static ZoneId callableZone() {
        Instant now = Instant.now();
        for (String id : new TreeSet<>(ZoneId.getAvailableZoneIds())) {
            if (!id.matches("(America|Europe|Asia|Africa|Australia)/[A-Za-z_]+")) continue;
            ZonedDateTime local = now.atZone(ZoneId.of(id));
            LocalTime t = local.toLocalTime();
            if (t.isAfter(LocalTime.of(9, 30)) && t.isBefore(LocalTime.of(19, 0))) return ZoneId.of(id);
        }
        throw new AssertionError("no zone has office hours at " + now);
    }

    private JsonNode get(String path) throws Exception {
        HttpResponse<String> r = http("GET", path, null);
        assertEquals(200, r.statusCode(), path + ": " + r.body());
        return Json.MAPPER.readTree(r.body());
    }

    private HttpResponse<String> http(String method, String path, String json) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url + path)).timeout(Duration.ofSeconds(10)).header("Authorization", "Bearer " + KEY);
        if (json != null) b.header("Content-Type", "application/json");
        b.method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static int closedPort() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
