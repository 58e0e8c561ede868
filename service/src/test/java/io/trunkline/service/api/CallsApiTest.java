package io.trunkline.service.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.trunkline.service.ServiceFixture;
import io.trunkline.sim.Behavior;
import io.trunkline.sim.SimConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The calls API over real HTTP, against a real service whose trunk is the carrier simulator on loopback. */
class CallsApiTest {
    @TempDir
    static Path home;
    static ServiceFixture f;

    @BeforeAll
    static void start() throws Exception {
        SimConfig sim = SimConfig.answerAll().withRingMs(50).withHoldMs(200).withNoAnswerMs(300)
                .withNumber("15550102486", Behavior.BUSY).withNumber("15550102480", Behavior.NO_ANSWER);
        f = new ServiceFixture(home, sim, 50, 100, c -> c);
    }

    @AfterAll
    static void stop() throws Exception {
        f.close();
    }

    @Test
    void aCallIsDialledAndItsResourceCarriesTheCdr() throws Exception {
        var r = f.post("/v1/calls", "{\"from\":\"+15550100001\",\"to\":\"+15550102001\",\"metadata\":{\"crm\":42},\"caller_name\":\"Acme\"}");
        assertEquals(201, r.status(), r.body());
        String id = r.json().get("id").asText();
        assertTrue(id.matches("CA[0-9a-f]{32}"), id);
        assertEquals("queued", r.json().get("status").asText());
        JsonNode done = f.awaitEnded(id, Duration.ofSeconds(10));
        assertEquals("completed", done.get("status").asText(), done.toString());
        assertEquals("remote", done.get("hangup_by").asText()); // the simulated callee hung up after 200 ms
        assertEquals(42, done.get("metadata").get("crm").asInt());
        assertEquals("sim", done.get("trunk").asText());
        assertFalse(done.get("answered_at").isNull());
        assertTrue(done.get("post_dial_delay_ms").asLong() >= 0);
        assertTrue(done.get("duration_ms").asLong() >= 150, done.toString());
        assertEquals(1, done.get("attempts").size());
        var events = f.get("/v1/calls/" + id + "/events").json().get("events");
        List<String> types = new java.util.ArrayList<>();
        for (int i = 0; i < events.size(); i++) {
            assertEquals(i + 1, events.get(i).get("sequence_number").asInt());
            types.add(events.get(i).get("event").asText());
            assertEquals("no_webhook", events.get(i).get("state").asText());
        }
        assertEquals(List.of("ringing", "answered", "completed"), types);
    }

    @Test
    void busyAndNoAnswerEndWithTheirStatusAndSipCode() throws Exception {
        String busy = f.post("/v1/calls", "{\"from\":\"+15550100001\",\"to\":\"+15550102486\"}").json().get("id").asText();
        String noAnswer = f.post("/v1/calls", "{\"from\":\"+15550100001\",\"to\":\"+15550102480\"}").json().get("id").asText();
        JsonNode b = f.awaitEnded(busy, Duration.ofSeconds(10));
        assertEquals("busy", b.get("status").asText());
        assertEquals(486, b.get("sip_code").asInt());
        JsonNode n = f.awaitEnded(noAnswer, Duration.ofSeconds(10));
        assertEquals("no-answer", n.get("status").asText(), n.toString());
        assertEquals(480, n.get("sip_code").asInt());
    }

    @Test
    void validationErrorsNameTheFieldAndTheRange() throws Exception {
        var r = f.post("/v1/calls", "{\"from\":\"+15550100001\",\"to\":\"+15550102002\",\"machine_detection\":\"enable\",\"machine_detection_time\":500}");
        assertEquals(400, r.status());
        assertEquals("{\"error\":\"validation\",\"field\":\"machine_detection_time\",\"message\":\"must be 2000..10000 ms, got 500\"}", r.body());
        r = f.post("/v1/calls", "{\"from\":\"+15550100001\",\"to\":\"+15550102002\",\"colour\":\"red\"}");
        assertEquals(400, r.status());
        assertEquals("colour", r.json().get("field").asText());
        r = f.post("/v1/calls", "{\"from\":\"+15550100001\",\"to\":\"+15550102002\",\"caller_name\":\"Evil\\r\\nX-Injected: 1\"}");
        assertEquals(400, r.status());
        assertEquals("caller_name", r.json().get("field").asText());
        r = f.post("/v1/calls", "{\"from\":\"12\",\"to\":\"+15550102002\"}");
        assertEquals(400, r.status());
        assertEquals("from", r.json().get("field").asText());
        r = f.post("/v1/calls", "{\"from\":\"+15550100001\",\"to\":\"+15550102002\",\"ring_timeout\":0}");
        assertEquals("ring_timeout", r.json().get("field").asText());
        assertEquals("must be 1..600 s, got 0", r.json().get("message").asText());
        r = f.post("/v1/calls", "{\"from\":\"+15550100001\",\"to\":\"+15550102002\",\"trunk\":\"nope\"}");
        assertEquals("trunk", r.json().get("field").asText());
        r = f.post("/v1/calls", "{\"from\":\"+15550100001\",");
        assertEquals(400, r.status());
        assertTrue(r.json().get("message").asText().startsWith("body is not valid JSON"), r.body());
        r = f.post("/v1/calls", "{\"from\":\"+15550100001\",\"to\":\"+15550102002\",\"status_callback\":\"ftp://x/y\"}");
        assertEquals("status_callback", r.json().get("field").asText());
        r = f.post("/v1/calls", "{\"from\":\"+15550100001\",\"to\":\"+15550102002\",\"schedule\":{\"latest_at\":\"2001-01-01T00:00:00Z\"}}");
        assertEquals("schedule.latest_at", r.json().get("field").asText());
        // nothing refused reached the trunk: the store holds no call to 2002
        assertEquals(0, f.get("/v1/calls?to=%2B15550102002").json().get("calls").size());
    }

    @Test
    void withoutAValidKeyNothingIsTouched() throws Exception {
        long before = f.sim.stats().invites();
        var none = f.send(HttpRequest.newBuilder(f.uri("/v1/calls")).POST(HttpRequest.BodyPublishers.ofString(
                "{\"from\":\"+15550100001\",\"to\":\"+15550102003\"}")).header("Content-Type", "application/json").build());
        assertEquals(401, none.status());
        assertEquals("Bearer", none.raw().headers().firstValue("WWW-Authenticate").orElse(null));
        var wrong = f.send(HttpRequest.newBuilder(f.uri("/v1/calls")).POST(HttpRequest.BodyPublishers.ofString(
                "{\"from\":\"+15550100001\",\"to\":\"+15550102003\"}")).header("Authorization", "Bearer " + ServiceFixture.KEY + "x").build());
        assertEquals(401, wrong.status());
        assertFalse(wrong.body().contains(ServiceFixture.KEY), "the key is never echoed");
        assertEquals(401, f.send(HttpRequest.newBuilder(f.uri("/v1/calls")).GET().build()).status());
        Thread.sleep(300);
        assertEquals(before, f.sim.stats().invites());
        assertEquals(0, f.get("/v1/calls?to=%2B15550102003").json().get("calls").size());
        // the public documents need no key
        var openapi = f.send(HttpRequest.newBuilder(f.uri("/v1/openapi.json")).GET().build());
        assertEquals(200, openapi.status());
        assertEquals("3.1.0", openapi.json().get("openapi").asText());
        assertTrue(openapi.json().at("/paths/~1v1~1calls~1batch/post").isObject());
    }

    @Test
    void aBodyOverTheLimitIsRefusedBeforeParsing() throws Exception {
        String big = "{\"from\":\"+15550100001\",\"to\":\"+15550102004\",\"metadata\":{\"x\":\"" + "a".repeat(3 << 20) + "\"}}";
        var r = f.post("/v1/calls", big);
        assertEquals(413, r.status(), r.body().length() > 300 ? r.body().substring(0, 300) : r.body());
        assertEquals("too_large", r.json().get("error").asText());
    }

    @Test
    void anIdempotencyKeyReturnsTheSameCallAndDialsNothingNew() throws Exception {
        String body = "{\"from\":\"+15550100001\",\"to\":\"+15550102005\"}";
        var first = f.post("/v1/calls", body, "Idempotency-Key", "order-77");
        var again = f.post("/v1/calls", body, "Idempotency-Key", "order-77");
        assertEquals(201, first.status());
        assertEquals(first.status(), again.status());
        assertEquals(first.json().get("id"), again.json().get("id"));
        f.awaitEnded(first.json().get("id").asText(), Duration.ofSeconds(10));
        var third = f.post("/v1/calls", body, "Idempotency-Key", "order-77");
        assertEquals(first.json().get("id"), third.json().get("id"));
        assertEquals(1, f.get("/v1/calls?to=%2B15550102005").json().get("calls").size());
        var conflict = f.post("/v1/calls", "{\"from\":\"+15550100001\",\"to\":\"+15550102006\"}", "Idempotency-Key", "order-77");
        assertEquals(422, conflict.status());
        assertEquals("idempotency_conflict", conflict.json().get("error").asText());
    }

    @Test
    void aBatchAcceptsEachGoodRecipientAndNamesEachBadOne() throws Exception {
        var r = f.post("/v1/calls/batch", "{\"defaults\":{\"from\":\"+15550100001\",\"metadata\":{\"campaign\":\"x\"}},\"recipients\":["
                + "{\"to\":\"+15550103001\",\"metadata\":{\"name\":\"Ann\"}},"
                + "{\"to\":\"not a number\"},"
                + "{\"to\":\"+15550103003\",\"variables\":{\"first_name\":\"Bo\"}}]}");
        assertEquals(201, r.status(), r.body());
        assertEquals(2, r.json().get("accepted").asInt());
        assertEquals(1, r.json().get("refused").asInt());
        JsonNode calls = r.json().get("calls");
        assertEquals("recipients[1].to", calls.get(1).get("field").asText());
        JsonNode ann = f.awaitEnded(calls.get(0).get("id").asText(), Duration.ofSeconds(10));
        assertEquals("Ann", ann.get("metadata").get("name").asText());
        assertEquals("x", ann.get("metadata").get("campaign").asText());
        JsonNode bo = f.awaitEnded(calls.get(2).get("id").asText(), Duration.ofSeconds(10));
        assertEquals("Bo", bo.get("metadata").get("variables").get("first_name").asText());

        StringBuilder many = new StringBuilder("{\"defaults\":{\"from\":\"+15550100001\"},\"recipients\":[");
        for (int i = 0; i < 1001; i++) many.append(i == 0 ? "" : ",").append("{\"to\":\"+1555010").append(4000 + i).append("\"}");
        var tooMany = f.post("/v1/calls/batch", many.append("]}").toString());
        assertEquals(400, tooMany.status());
        assertEquals("recipients", tooMany.json().get("field").asText());
        assertEquals("must hold at most 1000 recipients, got 1001", tooMany.json().get("message").asText());
    }

    @Test
    void listingPagesNewestFirstWithACursor() throws Exception {
        Set<String> made = new HashSet<>();
        for (int i = 0; i < 7; i++) {
            made.add(f.post("/v1/calls", "{\"from\":\"+15550100077\",\"to\":\"+1555010500" + i + "\",\"schedule\":{\"earliest_at\":\""
                    + Instant.now().plusSeconds(3600) + "\"}}").json().get("id").asText());
        }
        Set<String> seen = new HashSet<>();
        String cursor = null;
        String previousCreated = null;
        int pages = 0;
        do {
            JsonNode page = f.get("/v1/calls?from=%2B15550100077&status=scheduled&limit=3" + (cursor == null ? "" : "&cursor=" + cursor)).json();
            for (JsonNode c : page.get("calls")) {
                assertTrue(seen.add(c.get("id").asText()), "no call twice");
                assertEquals("scheduled", c.get("status").asText());
                if (previousCreated != null) assertTrue(c.get("created_at").asText().compareTo(previousCreated) <= 0);
                previousCreated = c.get("created_at").asText();
            }
            cursor = page.get("next_cursor").isNull() ? null : page.get("next_cursor").asText();
            pages++;
        } while (cursor != null && pages < 10);
        assertEquals(made, seen);
        assertEquals(400, f.get("/v1/calls?limit=0").status());
        assertEquals("limit", f.get("/v1/calls?limit=5000").json().get("field").asText());
        assertEquals("status", f.get("/v1/calls?status=weird").json().get("field").asText());
        // cancel them all while scheduled: hangup works in every state
        for (String id : made) {
            var h = f.post("/v1/calls/" + id + "/hangup", "");
            assertEquals(200, h.status());
            assertEquals("canceled", h.json().get("status").asText());
        }
        assertEquals(404, f.post("/v1/calls/CA00000000000000000000000000000000/hangup", "").status());
    }

    @Test
    void hangupCancelsARingingCall() throws Exception {
        // 15550102480 rings 300 ms then 480; hang up while it rings
        String id = f.post("/v1/calls", "{\"from\":\"+15550100001\",\"to\":\"+15550102480\"}").json().get("id").asText();
        long cancelledBefore = f.sim.stats().cancelled();
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (!"ringing".equals(f.get("/v1/calls/" + id).json().get("status").asText()) && System.nanoTime() < deadline) Thread.sleep(5);
        var h = f.post("/v1/calls/" + id + "/hangup", "");
        assertEquals(202, h.status(), h.body());
        JsonNode done = f.awaitEnded(id, Duration.ofSeconds(5));
        assertEquals("canceled", done.get("status").asText(), done.toString());
        assertEquals("api", done.get("hangup_by").asText());
        assertEquals(cancelledBefore + 1, f.sim.stats().cancelled());
    }

    /** The sum of a Prometheus metric's samples whose lines start with {@code prefix} (a heap has several pools). */
    private static double metric(String body, String prefix) {
        double sum = 0;
        int n = 0;
        for (String l : body.split("\n")) {
            if (l.startsWith(prefix)) {
                sum += Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1));
                n++;
            }
        }
        if (n == 0) throw new AssertionError("no " + prefix + " in /metrics");
        return sum;
    }

    @Test
    void operationsEndpointsAnswer() throws Exception {
        assertEquals(200, f.send(HttpRequest.newBuilder(f.uri("/healthz")).GET().build()).status());
        assertEquals(200, f.send(HttpRequest.newBuilder(f.uri("/readyz")).GET().build()).status());
        var m = f.send(HttpRequest.newBuilder(f.uri("/metrics")).GET().build());
        assertEquals(200, m.status());
        assertTrue(m.body().contains("trunkline_calls_live"), m.body());
        assertTrue(m.body().contains("trunkline_sip_retransmissions_total"));
        // the process's memory, as the kernel counts it and as the JVM does: a test JVM holds at least tens of MB
        double rss = metric(m.body(), "trunkline_process_resident_bytes"), heap = metric(m.body(), "jvm_memory_used_bytes{area=\"heap\"");
        assertTrue(rss > 20e6 && rss < 64e9, "resident set " + rss);
        assertTrue(heap > 1e6 && heap < rss * 4, "heap " + heap);
        assertTrue(m.body().contains("trunkline_netty_direct_used_bytes"), m.body());
        assertEquals(404, f.get("/v1/calls/CAnotanid").status());
        assertEquals(404, f.get("/v1/nothing").status());
    }
}
