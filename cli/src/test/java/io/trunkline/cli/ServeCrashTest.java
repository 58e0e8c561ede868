package io.trunkline.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.trunkline.sim.CarrierSimulator;
import io.trunkline.sim.SimConfig;
import io.trunkline.sip.transport.TransportConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Crash safety, measured at the boundary: a real {@code trunkline serve} process (the CLI's main class in its own
 * JVM, as ./trunkline runs it) is SIGKILLed while it dials a few hundred calls at the carrier simulator, then started
 * again on the same store. The simulator's INVITE log, written as each INVITE arrives, is compared with the store:
 * every accepted call is there with a final status, no number got two INVITEs, and every call that got none was
 * dialled after the restart or had been in flight.
 */
class ServeCrashTest {
    private static final String KEY = "crash-test-key-0123456789";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int CALLS = 300;
    private static final Map<String, String> ENV = Map.of("TL_KEY", KEY, "TL_SECRET", "crash-test-webhook-secret-0123");

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(2)).build();

    @Test
    void aSigkilledServiceLosesNoCallAndDialsNoneTwice() throws Exception {
        Path inviteLog = dir.resolve("invites.log");
        try (CarrierSimulator sim = CarrierSimulator.start(SimConfig.answerAll().withRingMs(100).withHoldMs(800),
                TransportConfig.loopback(0, -1).withThreads(1))) {
            sim.logInvitesTo(inviteLog);
            Path config = dir.resolve("trunkline.yaml");
            Files.writeString(config, """
                    listen: {address: 127.0.0.1, udp_port: 0, tcp_port: -1, io_threads: 1}
                    limits: {queue: 10000}
                    trunks:
                      - {name: sim, address: "sip:127.0.0.1:%d", transport: udp, cps: 60, max_concurrent: 200}
                    media: {port_min: 44000, port_max: 45999}
                    server:
                      listen: 127.0.0.1:0
                      api_keys: [{id: crash, key_env: TL_KEY, webhook_secret_env: TL_SECRET}]
                      drain_s: 2
                    store: {sqlite: store.db}
                    """.formatted(sim.udpAddress().getPort()));

            ServeProcess first = ServeProcess.start(dir, config, ENV);
            List<String> accepted = new ArrayList<>();
            Map<String, String> numberOf = new HashMap<>();
            for (int b = 0; b < CALLS / 100; b++) {
                StringBuilder body = new StringBuilder("{\"defaults\":{\"from\":\"+15550100001\"},\"recipients\":[");
                for (int i = 0; i < 100; i++) body.append(i == 0 ? "" : ",").append("{\"to\":\"+1555012").append(String.format("%04d", b * 100 + i)).append("\"}");
                JsonNode r = post(first.port(), "/v1/calls/batch", body.append("]}").toString());
                for (JsonNode c : r.get("calls")) {
                    accepted.add(c.get("id").asText());
                    numberOf.put(c.get("id").asText(), c.get("to").asText().substring(1));
                }
            }
            assertEquals(CALLS, accepted.size());
            // kill it while some calls are done, some ringing or talking, the rest still waiting (60 CPS: 5 s of dialling)
            long deadline = System.nanoTime() + 20_000_000_000L;
            int completedBeforeKill = 0;
            while (System.nanoTime() < deadline && (inviteLines(inviteLog).size() < 150 || completedBeforeKill == 0)) {
                Thread.sleep(20);
                completedBeforeKill = get(first.port(), "/v1/calls?status=completed&limit=1000").get("calls").size();
            }
            first.process().destroyForcibly(); // SIGKILL: no shutdown hook runs
            assertTrue(first.process().waitFor(10, TimeUnit.SECONDS));
            int invitesAtKill = inviteLines(inviteLog).size();
            assertTrue(invitesAtKill >= 150 && invitesAtKill < CALLS && completedBeforeKill > 0,
                    "killed midway: " + invitesAtKill + " INVITEs, " + completedBeforeKill + " calls completed");

            ServeProcess second = ServeProcess.start(dir, config, ENV);
            Map<String, JsonNode> calls = new HashMap<>();
            deadline = System.nanoTime() + 60_000_000_000L;
            while (System.nanoTime() < deadline) {
                calls.clear();
                String cursor = null;
                do {
                    JsonNode page = get(second.port(), "/v1/calls?limit=1000" + (cursor == null ? "" : "&cursor=" + cursor));
                    for (JsonNode c : page.get("calls")) calls.put(c.get("id").asText(), c);
                    cursor = page.get("next_cursor").isNull() ? null : page.get("next_cursor").asText();
                } while (cursor != null);
                if (calls.size() == CALLS && calls.values().stream().noneMatch(c -> c.get("ended_at").isNull())) break;
                Thread.sleep(200);
            }
            // 0 lost: every accepted call is in the store with a final status
            assertEquals(new HashSet<>(accepted), calls.keySet());
            for (JsonNode c : calls.values()) assertTrue(!c.get("ended_at").isNull(), "not ended: " + c);

            // 0 duplicated: no number got INVITEs with two Call-IDs
            Map<String, Set<String>> callIdsByNumber = new HashMap<>();
            for (String line : inviteLines(inviteLog)) {
                String[] f = line.split(" ");
                callIdsByNumber.computeIfAbsent(f[2], k -> new HashSet<>()).add(f[1]);
            }
            int restarted = 0, completed = 0;
            for (String id : accepted) {
                JsonNode c = calls.get(id);
                int invites = callIdsByNumber.getOrDefault(numberOf.get(id), Set.of()).size();
                assertTrue(invites <= 1, numberOf.get(id) + " dialled " + invites + " times");
                if ("engine restarted during the call".equals(c.get("reason").asText())) {
                    restarted++;
                    assertEquals("failed", c.get("status").asText());
                } else {
                    assertEquals("completed", c.get("status").asText(), c.toString());
                    assertEquals(1, invites, "a completed call was dialled once: " + c);
                    completed++;
                }
                JsonNode events = get(second.port(), "/v1/calls/" + id + "/events").get("events");
                assertEquals("completed", events.get(events.size() - 1).get("event").asText(), "its final event is stored: " + events);
            }
            assertTrue(restarted > 0, "some calls were in flight at the kill");
            assertEquals(CALLS, restarted + completed);
            System.out.printf("crash test: %d calls, %d INVITEs and %d completed calls before SIGKILL; after the restart %d in flight ended as"
                    + " restarted, %d completed, %d INVITEs in all%n", CALLS, invitesAtKill, completedBeforeKill, restarted, completed, inviteLines(inviteLog).size());

            // SIGTERM: a graceful stop, and the process exits by itself
            second.process().destroy();
            assertTrue(second.process().waitFor(30, TimeUnit.SECONDS), "serve stops on SIGTERM");
        }
    }

    private static List<String> inviteLines(Path log) throws java.io.IOException {
        if (!Files.exists(log)) return List.of();
        List<String> lines = new ArrayList<>();
        for (String l : Files.readAllLines(log, StandardCharsets.UTF_8)) if (!l.isBlank() && l.split(" ").length >= 3) lines.add(l);
        return lines;
    }

    private JsonNode post(int port, String path, String body) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Authorization", "Bearer " + KEY).POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(201, r.statusCode(), r.body());
        return JSON.readTree(r.body());
    }

    private JsonNode get(int port, String path) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Authorization", "Bearer " + KEY).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        return JSON.readTree(r.body());
    }
}
