package io.trunkline.service;

import com.fasterxml.jackson.databind.JsonNode;
import io.trunkline.sim.Behavior;
import io.trunkline.sim.SimConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Campaigns end to end: the real service on loopback, the carrier simulator as its trunk, and the simulator's own
 * INVITE log as the evidence of what was dialled. Time is a clock the test moves (across a weekend, past a retry
 * delay), so windows and retries are checked without waiting for them; the calls themselves run in real time.
 */
class CampaignsServiceTest {
    @TempDir
    Path home;

    /** A clock the test sets; the service's scheduler, store and API read it. */
    static final class MovableClock extends Clock {
        final AtomicReference<Instant> now;

        MovableClock(Instant start) { now = new AtomicReference<>(start); }

        void set(Instant t) { now.set(t); }

        void advance(Duration d) { now.updateAndGet(t -> t.plus(d)); }

        @Override public ZoneId getZone() { return ZoneOffset.UTC; }

        @Override public Clock withZone(ZoneId zone) { return this; }

        @Override public Instant instant() { return now.get(); }
    }

    // Monday 2027-01-04 18:00Z: 13:00 in New York, 10:00 in Los Angeles (ahead of real time: the engine's deadlines are real time)
    private static final Instant MONDAY_1800Z = Instant.parse("2027-01-04T18:00:00Z");
    private static final String WEEKDAYS = "{\"days\":[\"mon\",\"tue\",\"wed\",\"thu\",\"fri\"],\"start\":\"09:00\",\"end\":\"20:00\"}";

    private ServiceFixture fixture(SimConfig sim, MovableClock clock, Path invites) throws Exception {
        ServiceFixture f = new ServiceFixture(home, sim, 50, 50, c -> c, false, clock, null);
        f.sim.logInvitesTo(invites);
        return f;
    }

    @Test
    void aCsvIsImportedRowByRowWithBadRowsNamedAndItsVariablesReachTheCalls() throws Exception {
        MovableClock clock = new MovableClock(MONDAY_1800Z);
        Path invites = home.resolve("invites.log");
        try (ServiceFixture f = fixture(SimConfig.answerAll().withHoldMs(100), clock, invites)) {
            String csv = """
                    phone,first_name,timezone
                    (212) 555-0101,Ada,
                    12,Bob,
                    +999 1234 5678,Cy,
                    +1 212 555 0101,Dup,
                    +1 310 555 0102,Eve,Mars/Base
                    "+1 (310) 555-0103","Fay, the second",America/Los_Angeles
                    """;
            JsonNode c = createCsv(f, "{\"name\":\"csv\",\"from\":\"+15550100001\",\"window\":" + WEEKDAYS + "}", csv);
            JsonNode imp = c.get("import");
            assertEquals(2, imp.get("imported").asInt(), imp.toString());
            assertEquals(4, imp.get("rejected").asInt());
            Map<Long, String> errors = new HashMap<>();
            for (JsonNode e : imp.get("errors")) errors.put(e.get("line").asLong(), e.get("column").asText() + ": " + e.get("message").asText());
            assertEquals("phone: too short to be a phone number", errors.get(3L));
            assertEquals("phone: unknown country code", errors.get(4L));
            assertEquals("phone: duplicate of line 2", errors.get(5L));
            assertEquals("timezone: not an IANA timezone, like America/New_York", errors.get(6L));

            String id = c.get("id").asText();
            JsonNode done = awaitCampaign(f, id, "completed", Duration.ofSeconds(20));
            assertEquals(2, done.at("/progress/by_status/done").asInt(), done.toString());
            assertEquals(2, done.at("/progress/outcomes/completed").asInt());
            List<String[]> lines = invites(invites);
            assertEquals(List.of("12125550101", "13105550103"), lines.stream().map(l -> l[2]).sorted().toList(), "each good row dialled once");

            JsonNode recipients = f.get("/v1/campaigns/" + id + "/recipients").json().get("recipients");
            assertEquals(2, recipients.size());
            JsonNode fay = recipients.get(1);
            assertEquals("Fay, the second", fay.at("/variables/first_name").asText());
            assertEquals("America/Los_Angeles", fay.get("timezone").asText());
            assertEquals(1, fay.get("attempts").asInt());
            JsonNode call = f.get("/v1/calls/" + fay.get("calls").get(0).asText()).json();
            assertEquals("Fay, the second", call.at("/metadata/variables/first_name").asText(), call.toString());
            assertEquals(id, call.at("/metadata/campaign_id").asText());
        }
    }

    @Test
    void noOneIsCalledOutsideTheirWindowAndTheWeekendWaitsForMonday() throws Exception {
        Instant friday2030NewYork = Instant.parse("2027-01-09T01:30:00Z");
        MovableClock clock = new MovableClock(friday2030NewYork);
        Path invites = home.resolve("invites.log");
        try (ServiceFixture f = fixture(SimConfig.answerAll().withHoldMs(50), clock, invites)) {
            // a window past the calling hours is refused, naming the field and the range
            ServiceFixture.Reply bad = f.post("/v1/campaigns", "{\"name\":\"x\",\"from\":\"+15550100001\",\"window\":{\"start\":\"07:30\",\"end\":\"20:00\"}}");
            assertEquals(400, bad.status());
            assertEquals("window.start", bad.json().get("field").asText());
            assertEquals("must lie inside the calling hours 08:00-21:00 (recipient's local time), got 07:30", bad.json().get("message").asText());

            JsonNode c = create(f, "{\"name\":\"weekdays\",\"from\":\"+15550100001\",\"window\":" + WEEKDAYS
                    + ",\"recipients\":[{\"phone\":\"+12125550111\"},{\"phone\":\"+12125550112\"},{\"phone\":\"+13105550113\"}]}");
            String id = c.get("id").asText();
            Thread.sleep(1500); // 15 scheduler rounds
            // 17:30 on Friday in Los Angeles is open; New York's 20:30 is not
            await(() -> invites(invites).size() == 1, Duration.ofSeconds(10), "the Los Angeles recipient is dialled");
            assertEquals("13105550113", invites(invites).get(0)[2]);
            JsonNode ny = f.get("/v1/campaigns/" + id + "/recipients?status=pending").json().get("recipients");
            assertEquals(2, ny.size());
            assertEquals("2027-01-11T14:00:00Z", ny.get(0).get("next_attempt_at").asText(), "Monday 09:00 in New York");

            clock.set(Instant.parse("2027-01-10T16:00:00Z")); // Sunday 11:00: still closed
            Thread.sleep(1000);
            assertEquals(1, invites(invites).size());
            clock.set(Instant.parse("2027-01-11T14:00:01Z"));
            awaitCampaign(f, id, "completed", Duration.ofSeconds(20));
            assertEquals(3, invites(invites).size());
        }
    }

    @Test
    void busyIsRetriedAfterItsDelayUntilTheAttemptsRunOutAndAnsweredPeopleAreNeverRedialled() throws Exception {
        MovableClock clock = new MovableClock(MONDAY_1800Z);
        Path invites = home.resolve("invites.log");
        SimConfig sim = SimConfig.answerAll().withHoldMs(50).withNumber("12125550121", Behavior.BUSY);
        try (ServiceFixture f = fixture(sim, clock, invites)) {
            JsonNode c = create(f, "{\"name\":\"retries\",\"from\":\"+15550100001\",\"window\":" + WEEKDAYS
                    + ",\"retry\":{\"busy\":{\"max_attempts\":3,\"delay_s\":600}}"
                    + ",\"recipients\":[{\"phone\":\"+12125550121\"},{\"phone\":\"+12125550122\"}]}");
            String id = c.get("id").asText();
            await(() -> count(invites, "12125550121") == 1 && recipient(f, id, 0).get("status").asText().equals("pending"), Duration.ofSeconds(10), "first busy");
            JsonNode busy = recipient(f, id, 0);
            assertEquals("busy", busy.get("outcome").asText());
            Instant due = Instant.parse(busy.get("next_attempt_at").asText());
            assertTrue(!due.isBefore(MONDAY_1800Z.plusSeconds(600)), "not before the delay: " + due);
            Thread.sleep(1000);
            assertEquals(1, count(invites, "12125550121"), "not retried before its delay");

            clock.advance(Duration.ofSeconds(601));
            await(() -> count(invites, "12125550121") == 2 && recipient(f, id, 0).get("status").asText().equals("pending"), Duration.ofSeconds(10), "second");
            clock.advance(Duration.ofSeconds(601));
            JsonNode done = awaitCampaign(f, id, "completed", Duration.ofSeconds(20));
            assertEquals(3, count(invites, "12125550121"), "three attempts in all");
            assertEquals(1, count(invites, "12125550122"), "the answered one, once");
            JsonNode r = recipient(f, id, 0);
            assertEquals("failed", r.get("status").asText());
            assertEquals(3, r.get("attempts").asInt());
            assertEquals(3, r.get("calls").size());
            assertEquals(3, done.at("/progress/outcomes/busy").asInt(), done.toString());
            assertEquals(4, done.at("/progress/attempts").asInt());
        }
    }

    @Test
    void numbersOnTheDoNotCallListAreNeverDialled() throws Exception {
        MovableClock clock = new MovableClock(MONDAY_1800Z);
        Path invites = home.resolve("invites.log");
        try (ServiceFixture f = fixture(SimConfig.answerAll().withHoldMs(50), clock, invites)) {
            assertEquals(200, f.post("/v1/dnc", "{\"numbers\":[\"+12125550131\"]}").status());
            JsonNode c = create(f, "{\"name\":\"dnc\",\"from\":\"+15550100001\",\"paused\":true,\"window\":" + WEEKDAYS
                    + ",\"recipients\":[{\"phone\":\"+12125550131\"},{\"phone\":\"+12125550132\"},{\"phone\":\"+12125550133\"}]}");
            assertEquals(1, c.at("/import/dnc").asInt(), "refused at import");
            assertEquals("paused", c.get("status").asText());
            String id = c.get("id").asText();
            // listed after the import: refused at dial time
            ServiceFixture.Reply added = f.send(HttpRequest.newBuilder(f.uri("/v1/dnc")).header("Authorization", "Bearer " + ServiceFixture.KEY)
                    .header("Content-Type", "text/plain").POST(HttpRequest.BodyPublishers.ofString("# from the CRM\n+1 212 555 0132\nnot a number\n")).build());
            assertEquals(1, added.json().get("added").asInt(), added.body());
            assertEquals("line 3: not a phone number", added.json().get("refused").get(0).asText());
            assertTrue(f.get("/v1/dnc?phone=%2B12125550132").json().get("listed").asBoolean());

            f.post("/v1/campaigns/" + id + "/resume", "");
            JsonNode done = awaitCampaign(f, id, "completed", Duration.ofSeconds(20));
            assertEquals(List.of("12125550133"), invites(invites).stream().map(l -> l[2]).toList());
            assertEquals(2, done.at("/progress/by_status/dnc").asInt());
            JsonNode dialTime = recipient(f, id, 1);
            assertEquals("dnc", dialTime.get("status").asText());
            assertEquals("on the do-not-call list at dial time", dialTime.get("outcome").asText());
            assertEquals(0, dialTime.get("calls").size());
        }
    }

    @Test
    void pauseStopsNewDialsAtOnceAndAPausedCampaignStaysPausedAcrossARestart() throws Exception {
        MovableClock clock = new MovableClock(MONDAY_1800Z);
        Path invites = home.resolve("invites.log");
        try (ServiceFixture f = fixture(SimConfig.answerAll().withHoldMs(300), clock, invites)) {
            StringBuilder r = new StringBuilder();
            for (int i = 0; i < 30; i++) r.append(i == 0 ? "" : ",").append("{\"phone\":\"+1212555").append(String.format("%04d", 1000 + i)).append("\"}");
            JsonNode c = create(f, "{\"name\":\"pause\",\"from\":\"+15550100001\",\"cps\":10,\"concurrency\":3,\"window\":" + WEEKDAYS
                    + ",\"recipients\":[" + r + "]}");
            String id = c.get("id").asText();
            await(() -> invites(invites).size() >= 5, Duration.ofSeconds(10), "some dialled");
            JsonNode paused = f.post("/v1/campaigns/" + id + "/pause", "").json();
            long pausedAt = System.currentTimeMillis();
            assertEquals("paused", paused.get("status").asText());
            Thread.sleep(1500);
            List<String[]> after = invites(invites).stream().filter(l -> Long.parseLong(l[0]) > pausedAt + 50).toList();
            assertEquals(List.of(), after.stream().map(l -> l[2]).toList(), "no INVITE after the pause");
            int dialled = invites(invites).size();
            assertTrue(dialled < 30);

            f.restart();
            JsonNode again = f.get("/v1/campaigns/" + id).json();
            assertEquals("paused", again.get("status").asText(), "paused across the restart");
            Thread.sleep(1000);
            assertEquals(dialled, invites(invites).size());

            assertEquals("running", f.post("/v1/campaigns/" + id + "/resume", "").json().get("status").asText());
            JsonNode done = awaitCampaign(f, id, "completed", Duration.ofSeconds(30));
            assertEquals(30, done.at("/progress/by_status/done").asInt(), done.toString());
            Map<String, Integer> per = new HashMap<>();
            for (String[] l : invites(invites)) per.merge(l[2], 1, Integer::sum);
            assertEquals(30, per.size());
            assertTrue(per.values().stream().allMatch(n -> n == 1), "each dialled once: " + per);
            assertEquals(409, f.post("/v1/campaigns/" + id + "/pause", "").status(), "a completed campaign cannot be paused");
        }
    }

    @Test
    void callsNobodySpeaksInThrottleTheCampaignAtItsAbandonmentCap() throws Exception {
        MovableClock clock = new MovableClock(MONDAY_1800Z);
        Path invites = home.resolve("invites.log");
        try (ServiceFixture f = fixture(SimConfig.answerAll().withHoldMs(200), clock, invites)) {
            StringBuilder r = new StringBuilder();
            for (int i = 0; i < 80; i++) r.append(i == 0 ? "" : ",").append("{\"phone\":\"+1212555").append(String.format("%04d", 2000 + i)).append("\"}");
            // no assistant and no prompt: every call a person answers is abandoned (nobody speaks to them)
            JsonNode c = create(f, "{\"name\":\"abandon\",\"from\":\"+15550100001\",\"concurrency\":8,\"cps\":20,\"window\":" + WEEKDAYS
                    + ",\"recipients\":[" + r + "]}");
            String id = c.get("id").asText();
            await(() -> recipientsOf(f, "/v1/campaigns/" + id).at("/progress/abandonment/throttled").asBoolean(), Duration.ofSeconds(20),
                    () -> "throttled: " + recipientsOf(f, "/v1/campaigns/" + id).get("progress"));
            JsonNode p = f.get("/v1/campaigns/" + id).json().get("progress");
            assertEquals(100.0, p.at("/abandonment/rate_percent").asDouble(), p.toString());
            assertEquals(1, p.at("/abandonment/concurrency_now").asInt());
            // the calls already up finish; from then on at most one call at a time
            await(() -> recipientsOf(f, "/v1/campaigns/" + id).at("/progress/by_status/calling").asInt() <= 1, Duration.ofSeconds(5), "drained to one");
            int most = 0;
            for (int i = 0; i < 20; i++) {
                most = Math.max(most, f.get("/v1/campaigns/" + id).json().at("/progress/by_status/calling").asInt());
                Thread.sleep(50);
            }
            assertTrue(most <= 1, "throttled to one call at a time, saw " + most);
        }
    }

    @Test
    void aCallerIdTheTrunkDoesNotAllowIsRefusedAtCreation() throws Exception {
        MovableClock clock = new MovableClock(MONDAY_1800Z);
        try (ServiceFixture f = new ServiceFixture(home, SimConfig.answerAll(), 10, 10, c -> c, false, clock,
                new io.trunkline.engine.CallerIds(List.of("+1555010*")))) {
            ServiceFixture.Reply r = f.post("/v1/campaigns", "{\"name\":\"x\",\"from\":[\"+15550100001\",\"+14155550100\"]}");
            assertEquals(400, r.status(), r.body());
            assertEquals("from[1]", r.json().get("field").asText());
            assertTrue(r.json().get("message").asText().contains("+14155550100"), r.body());
            assertEquals(201, f.post("/v1/campaigns", "{\"name\":\"ok\",\"from\":[\"+15550100001\"]}").status());
        }
    }

    // ---- helpers ----

    static JsonNode create(ServiceFixture f, String json) throws Exception {
        ServiceFixture.Reply r = f.post("/v1/campaigns", json);
        assertEquals(201, r.status(), r.body());
        return r.json();
    }

    static JsonNode createCsv(ServiceFixture f, String settings, String csv) throws Exception {
        String boundary = "----trunkline" + System.nanoTime();
        String body = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"campaign\"\r\nContent-Type: application/json\r\n\r\n" + settings + "\r\n"
                + "--" + boundary + "\r\nContent-Disposition: form-data; name=\"recipients\"; filename=\"list.csv\"\r\nContent-Type: text/csv\r\n\r\n"
                + csv + "\r\n--" + boundary + "--\r\n";
        ServiceFixture.Reply r = f.send(HttpRequest.newBuilder(f.uri("/v1/campaigns")).header("Authorization", "Bearer " + ServiceFixture.KEY)
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build());
        assertEquals(201, r.status(), r.body());
        return r.json();
    }

    static JsonNode recipientsOf(ServiceFixture f, String path) {
        try {
            return f.get(path).json();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    static JsonNode recipient(ServiceFixture f, String id, int index) {
        try {
            return f.get("/v1/campaigns/" + id + "/recipients").json().get("recipients").get(index);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    static JsonNode awaitCampaign(ServiceFixture f, String id, String status, Duration within) throws Exception {
        long deadline = System.nanoTime() + within.toNanos();
        JsonNode last = null;
        while (System.nanoTime() < deadline) {
            last = f.get("/v1/campaigns/" + id).json();
            if (last.get("status").asText().equals(status)) return last;
            Thread.sleep(50);
        }
        throw new AssertionError("campaign " + id + " not " + status + " within " + within + ": " + last);
    }

    static void await(BooleanSupplier condition, Duration within, String what) throws InterruptedException {
        await(condition, within, () -> what);
    }

    static void await(BooleanSupplier condition, Duration within, java.util.function.Supplier<String> what) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) return;
            Thread.sleep(20);
        }
        throw new AssertionError("not within " + within + ": " + what.get());
    }

    /** The simulator's INVITE log: epoch ms, Call-ID, called number, calling number. */
    static List<String[]> invites(Path log) {
        try {
            if (!Files.exists(log)) return List.of();
            List<String[]> out = new ArrayList<>();
            for (String l : Files.readAllLines(log)) if (l.split(" ").length >= 3) out.add(l.split(" "));
            return out;
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    static long count(Path log, String number) {
        return invites(log).stream().filter(l -> l[2].equals(number)).map(l -> l[1]).distinct().count();
    }
}
