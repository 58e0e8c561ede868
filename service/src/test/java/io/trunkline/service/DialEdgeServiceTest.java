package io.trunkline.service;

import com.fasterxml.jackson.databind.JsonNode;
import io.trunkline.sim.SimConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The service at its limits: a full queue, deadlines, and a graceful stop that keeps what it did not dial. */
class DialEdgeServiceTest {
    @TempDir
    Path home;

    @Test
    void aFullQueueAnswers429WithRetryAfter() throws Exception {
        try (ServiceFixture f = new ServiceFixture(home, SimConfig.answerAll().withHoldMs(100), 10, 10, c -> c.withMaxWaiting(2))) {
            String later = "\"schedule\":{\"earliest_at\":\"" + Instant.now().plusSeconds(3600) + "\"}";
            assertEquals(201, f.post("/v1/calls", "{\"from\":\"+15550100001\",\"to\":\"+15550106001\"," + later + "}").status());
            assertEquals(201, f.post("/v1/calls", "{\"from\":\"+15550100001\",\"to\":\"+15550106002\"," + later + "}").status());
            var r = f.post("/v1/calls", "{\"from\":\"+15550100001\",\"to\":\"+15550106003\"," + later + "}");
            assertEquals(429, r.status(), r.body());
            assertEquals("1", r.raw().headers().firstValue("Retry-After").orElse(null));
            assertEquals("rate_limited", r.json().get("error").asText());
            assertEquals(0, f.get("/v1/calls?to=%2B15550106003").json().get("calls").size());
        }
    }

    @Test
    void aTakenHttpPortIsSaidPlainlyAndNothingIsLeftRunning(@TempDir Path other) throws Exception {
        try (ServiceFixture f = new ServiceFixture(home, SimConfig.answerAll(), 10, 10, c -> c)) {
            int port = f.service.port();
            var e = org.junit.jupiter.api.Assertions.assertThrows(java.io.IOException.class, () -> new ServiceFixture(other, SimConfig.answerAll(), 10, 10,
                    c -> c.withListen(new java.net.InetSocketAddress("127.0.0.1", port))));
            assertEquals("HTTP address 127.0.0.1:" + port + " is already in use (server.listen or --listen)", e.getMessage());
            assertEquals(200, f.get("/v1/calls?limit=1").status(), "the running service is untouched");
        }
    }

    @Test
    void eachApiKeySeesOnlyItsOwnCalls() throws Exception {
        var other = io.trunkline.service.config.ApiKey.of("other", "other-key-0123456789abcdef", "other-webhook-secret-012345");
        try (ServiceFixture f = new ServiceFixture(home, SimConfig.answerAll().withHoldMs(100), 10, 10,
                c -> new io.trunkline.service.config.ServiceConfig(c.listen(), java.util.List.of(c.apiKeys().get(0), other), c.maxBodyBytes(),
                        c.maxWaiting(), c.feedWindow(), c.store(), c.webhooks(), c.drain(), c.jsonLogs(), c.promptsDir(), c.recordingsDir(), c.home(), c.campaigns()))) {
            String id = f.post("/v1/calls", "{\"from\":\"+15550100001\",\"to\":\"+15550109101\"}").json().get("id").asText();
            java.util.function.Function<String, java.net.http.HttpRequest.Builder> as = path -> java.net.http.HttpRequest.newBuilder(f.uri(path))
                    .header("Authorization", "Bearer other-key-0123456789abcdef");
            assertEquals(404, f.send(as.apply("/v1/calls/" + id).GET().build()).status());
            assertEquals(404, f.send(as.apply("/v1/calls/" + id + "/events").GET().build()).status());
            assertEquals(404, f.send(as.apply("/v1/calls/" + id + "/hangup").POST(java.net.http.HttpRequest.BodyPublishers.noBody()).build()).status());
            assertEquals(0, f.send(as.apply("/v1/calls").GET().build()).json().get("calls").size());
            assertEquals("completed", f.awaitEnded(id, Duration.ofSeconds(10)).get("status").asText(), "the other key's hangup touched nothing");
        }
    }

    @Test
    void aCallNotStartedByItsDeadlineExpiresAndIsNeverDialled() throws Exception {
        // one call at a time; the first holds the trunk for 1.5 s, the second may wait at most 1 s
        try (ServiceFixture f = new ServiceFixture(home, SimConfig.answerAll().withHoldMs(1500), 10, 1, c -> c)) {
            String first = f.post("/v1/calls", "{\"from\":\"+15550100001\",\"to\":\"+15550107001\"}").json().get("id").asText();
            Thread.sleep(100);
            String second = f.post("/v1/calls", "{\"from\":\"+15550100001\",\"to\":\"+15550107002\",\"max_hold_seconds\":1}").json().get("id").asText();
            JsonNode s = f.awaitEnded(second, Duration.ofSeconds(10));
            assertEquals("expired", s.get("status").asText(), s.toString());
            assertTrue(s.get("started_at").isNull(), "never dialled: " + s);
            assertEquals("completed", f.awaitEnded(first, Duration.ofSeconds(10)).get("status").asText());
            assertEquals(1, f.sim.stats().invites(), "the simulator saw only the first call");
            var events = f.get("/v1/calls/" + second + "/events").json().get("events");
            assertEquals(1, events.size());
            assertEquals("expired", events.get(0).get("payload").get("status").asText());
        }
    }

    @Test
    void aGracefulStopEndsLiveCallsAndKeepsUndialledOnesForTheNextStart() throws Exception {
        String live, waiting;
        try (ServiceFixture f = new ServiceFixture(home, SimConfig.answerAll(), 10, 1, c -> c.withDrain(Duration.ofMillis(300)))) {
            live = f.post("/v1/calls", "{\"from\":\"+15550100001\",\"to\":\"+15550108001\"}").json().get("id").asText();
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (!"in-progress".equals(f.get("/v1/calls/" + live).json().get("status").asText()) && System.nanoTime() < deadline) Thread.sleep(10);
            waiting = f.post("/v1/calls", "{\"from\":\"+15550100001\",\"to\":\"+15550108002\"}").json().get("id").asText();
            long handed = System.nanoTime() + 5_000_000_000L; // handed to the engine, held behind the concurrency limit of 1
            while (f.service.engine().queued() != 1 && System.nanoTime() < handed) Thread.sleep(5);
            assertEquals(1, f.service.engine().queued());
            f.service.stop();
            assertEquals(1, f.sim.stats().invites());
        }
        try (ServiceFixture f = new ServiceFixture(home, SimConfig.answerAll().withHoldMs(100), 10, 1, c -> c)) {
            JsonNode l = f.get("/v1/calls/" + live).json();
            assertEquals("completed", l.get("status").asText(), l.toString());
            assertEquals("service stopped: the drain time ran out", l.get("reason").asText());
            JsonNode w = f.awaitEnded(waiting, Duration.ofSeconds(10));
            assertEquals("completed", w.get("status").asText(), w.toString());
            assertEquals(1, f.sim.stats().invites(), "the waiting call was dialled once, after the restart");
            assertEquals(0, f.service.recovered());
        }
    }
}
