package io.trunkline.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.trunkline.service.webhook.WebhookSettings;
import io.trunkline.service.webhook.WebhookSigner;
import io.trunkline.sim.SimConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Calls' events, end to end: the service dials the simulator and a real HTTP receiver (the JDK's server) gets
 * each call's events signed, once each and in order, even when it answers 500 for a while.
 */
class WebhooksServiceTest {
    @TempDir
    Path home;

    @Test
    void everyEventArrivesSignedOnceInOrderThroughAFlakyReceiver() throws Exception {
        AtomicInteger refuse = new AtomicInteger(6); // the first six requests get 500
        Map<String, List<JsonNode>> byCall = new ConcurrentHashMap<>();
        AtomicInteger badSignatures = new AtomicInteger();
        HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        ObjectMapper json = new ObjectMapper();
        receiver.createContext("/hook", ex -> {
            byte[] body = ex.getRequestBody().readAllBytes();
            if (!WebhookSigner.verify(ServiceFixture.SECRET, ex.getRequestHeaders().getFirst(WebhookSigner.HEADER), body, Instant.now(), 300)) {
                badSignatures.incrementAndGet();
            }
            int status = refuse.getAndDecrement() > 0 ? 500 : 200;
            if (status == 200) {
                JsonNode e = json.readTree(body);
                byCall.computeIfAbsent(e.get("call_id").asText(), k -> java.util.Collections.synchronizedList(new ArrayList<>())).add(e);
            }
            ex.sendResponseHeaders(status, -1);
            ex.close();
        });
        receiver.start();
        String hook = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook";
        WebhookSettings fast = new WebhookSettings(8, Duration.ofSeconds(2), Duration.ofSeconds(60), Duration.ofMillis(50),
                Duration.ofMillis(200), Duration.ofMillis(50));
        try (ServiceFixture f = new ServiceFixture(home, SimConfig.answerAll().withRingMs(50).withHoldMs(150), 20, 20, c -> c.withWebhooks(fast))) {
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                var r = f.post("/v1/calls", "{\"from\":\"+15550100001\",\"to\":\"+1555010900" + i + "\",\"status_callback\":\"" + hook
                        + "\",\"metadata\":{\"n\":" + i + "}}");
                assertEquals(201, r.status(), r.body());
                ids.add(r.json().get("id").asText());
            }
            long deadline = System.nanoTime() + 20_000_000_000L;
            while (System.nanoTime() < deadline && !ids.stream().allMatch(id -> byCall.getOrDefault(id, List.of()).size() == 3)) Thread.sleep(20);
            assertEquals(0, badSignatures.get());
            for (int i = 0; i < ids.size(); i++) {
                List<JsonNode> events = byCall.get(ids.get(i));
                assertEquals(List.of("ringing", "answered", "completed"), events.stream().map(e -> e.get("event").asText()).toList(),
                        "exactly once, in order, for " + ids.get(i));
                for (int s = 0; s < 3; s++) assertEquals(s + 1, events.get(s).get("sequence_number").asInt());
                assertEquals(i, events.get(2).get("metadata").get("n").asInt(), "metadata echoed");
                assertEquals("completed", events.get(2).get("call").get("status").asText());
                var stored = f.get("/v1/calls/" + ids.get(i) + "/events").json().get("events");
                for (JsonNode e : stored) assertEquals("delivered", e.get("state").asText(), e.toString());
            }
            int retried = 0;
            for (String id : ids) for (JsonNode e : f.get("/v1/calls/" + id + "/events").json().get("events")) retried += e.get("attempts").asInt() - 1;
            assertEquals(6, retried, "each refused request was retried once more");
        } finally {
            receiver.stop(0);
        }
    }

    @Test
    void aCampaignsChangesOfStatusArriveSignedInOrder() throws Exception {
        List<JsonNode> events = java.util.Collections.synchronizedList(new ArrayList<>());
        AtomicInteger badSignatures = new AtomicInteger();
        HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        ObjectMapper json = new ObjectMapper();
        receiver.createContext("/campaigns", ex -> {
            byte[] body = ex.getRequestBody().readAllBytes();
            if (!WebhookSigner.verify(ServiceFixture.SECRET, ex.getRequestHeaders().getFirst(WebhookSigner.HEADER), body, Instant.now(), 300)) {
                badSignatures.incrementAndGet();
            }
            events.add(json.readTree(body));
            ex.sendResponseHeaders(200, -1);
            ex.close();
        });
        receiver.start();
        String zone = null; // a zone where it is daytime now, so the campaign's window is open
        for (String z : List.of("America/New_York", "America/Los_Angeles", "Europe/London", "Asia/Tokyo", "Australia/Sydney", "Asia/Kolkata")) {
            int h = java.time.ZonedDateTime.now(java.time.ZoneId.of(z)).getHour();
            if (h >= 9 && h < 19) { zone = z; break; }
        }
        try (ServiceFixture f = new ServiceFixture(home, SimConfig.answerAll().withHoldMs(100), 20, 20, c -> c)) {
            String hook = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/campaigns";
            StringBuilder r = new StringBuilder();
            for (int i = 0; i < 6; i++) r.append(i == 0 ? "" : ",").append("{\"phone\":\"+1212555").append(3000 + i).append("\",\"timezone\":\"").append(zone).append("\"}");
            JsonNode c = f.post("/v1/campaigns", "{\"name\":\"events\",\"from\":\"+15550100001\",\"paused\":true,\"cps\":2,\"abandonment_cap_percent\":0,"
                    + "\"status_callback\":\"" + hook + "\",\"recipients\":[" + r + "]}").json();
            String id = c.get("id").asText();
            assertEquals(200, f.post("/v1/campaigns/" + id + "/resume", "").status());
            waitFor(() -> events.size() >= 1, "started");
            assertEquals(200, f.post("/v1/campaigns/" + id + "/pause", "").status());
            assertEquals(200, f.post("/v1/campaigns/" + id + "/resume", "").status());
            waitFor(() -> events.stream().anyMatch(e -> e.get("event").asText().equals("campaign.completed")), "completed");
            assertEquals(List.of("campaign.started", "campaign.paused", "campaign.resumed", "campaign.completed"),
                    events.stream().map(e -> e.get("event").asText()).toList());
            assertEquals(0, badSignatures.get());
            JsonNode last = events.get(3);
            assertEquals(id, last.get("campaign_id").asText());
            assertEquals("completed", last.get("status").asText());
            assertEquals(6, last.at("/progress/by_status/done").asInt(), last.toString());
        } finally {
            receiver.stop(0);
        }
    }

    private static void waitFor(java.util.function.BooleanSupplier c, String what) throws InterruptedException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!c.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("not within 30 s: " + what);
            Thread.sleep(20);
        }
    }
}
