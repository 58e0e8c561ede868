package io.trunkline.service.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Delivery to a Node.js receiver that checks the signature with Node's crypto, not ours. Skipped without node,
 * except on CI (CI=true), where a missing node is a failure.
 */
class NodeReceiverTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Path NODE = Path.of("/usr/bin/node");
    private static final Path SCRIPT = Path.of("src/test/node/receiver.js");
    private static final String SECRET = "whsec_node_7d1e";

    private Process node;
    private final List<JsonNode> lines = new CopyOnWriteArrayList<>();
    private int port;

    @BeforeEach
    void startNode() throws Exception {
        boolean ci = "true".equalsIgnoreCase(System.getenv("CI"));
        boolean present = Files.isExecutable(NODE);
        if (!present && ci) throw new AssertionError("node is required on CI: " + NODE + " not found");
        Assumptions.assumeTrue(present, "node not installed: Node receiver test skipped");
        ProcessBuilder pb = new ProcessBuilder(NODE.toString(), SCRIPT.toString()).redirectError(ProcessBuilder.Redirect.INHERIT);
        pb.environment().put("SECRET", SECRET);
        node = pb.start();
        BufferedReader out = new BufferedReader(new InputStreamReader(node.getInputStream(), StandardCharsets.UTF_8));
        JsonNode first = MAPPER.readTree(out.readLine()); // blocks until listening (or EOF when node dies)
        port = first.path("listening").asInt();
        assertTrue(port > 0, "receiver did not start: " + first);
        Thread.ofPlatform().daemon().start(() -> {
            try {
                for (String line; (line = out.readLine()) != null; ) lines.add(MAPPER.readTree(line));
            } catch (Exception e) { /* the process ended */ }
        });
    }

    @AfterEach
    void stopNode() throws Exception {
        if (node != null) {
            node.destroy();
            if (!node.waitFor(5, TimeUnit.SECONDS)) node.destroyForcibly();
        }
    }

    @Test
    void nodeVerifiesEverySignatureAndSeesEachCallInOrder() throws Exception {
        Clock clock = Clock.systemUTC();
        InMemoryOutbox outbox = new InMemoryOutbox(clock);
        String url = "http://127.0.0.1:" + port + "/hook";
        Map<String, Integer> expected = new LinkedHashMap<>();
        for (int c = 0; c < 3; c++) {
            for (int i = 0; i < 4; i++) outbox.append("n" + c, i == 0 ? "ringing" : "dtmf", "{\"digit\":\"" + i + "\",\"note\":\"é\"}", url, "k");
            expected.put("n" + c, 4);
        }
        WebhookSettings settings = new WebhookSettings(4, Duration.ofSeconds(2), Duration.ofSeconds(30),
                Duration.ofMillis(50), Duration.ofMillis(200), Duration.ofMillis(200));
        try (WebhookDeliverer d = new WebhookDeliverer(outbox, k -> SECRET.getBytes(StandardCharsets.UTF_8), settings,
                new SimpleMeterRegistry(), clock)) {
            d.start();
            WebhookDelivererTest.await("all delivered to node", Duration.ofSeconds(10), () -> outbox.pendingEvents() == 0);
        }
        WebhookDelivererTest.await("node logged 12 requests", Duration.ofSeconds(5), () -> lines.size() >= 12);
        Thread.sleep(100); // a duplicate would show up here
        assertEquals(12, lines.size(), "each event once: " + lines);
        Map<String, List<Integer>> byCall = new LinkedHashMap<>();
        for (JsonNode l : lines) {
            assertTrue(l.path("signature_ok").asBoolean(), "node rejected " + l);
            assertEquals(l.path("seq").asInt(), l.path("sequence_number").asInt());
            byCall.computeIfAbsent(l.path("call_id").asText(), k -> new ArrayList<>()).add(l.path("seq").asInt());
        }
        expected.forEach((call, n) -> assertEquals(List.of(1, 2, 3, 4), byCall.get(call), call));
    }

    @Test
    void nodeRejectsATamperedBodyAndAReplayedTimestamp() throws Exception {
        byte[] secret = SECRET.getBytes(StandardCharsets.UTF_8);
        byte[] body = "{\"event\":\"completed\",\"sequence_number\":1}".getBytes(StandardCharsets.UTF_8);
        long t = System.currentTimeMillis() / 1000;
        String header = WebhookSigner.header(secret, t, body);
        byte[] tampered = "{\"event\":\"completed\",\"sequence_number\":2}".getBytes(StandardCharsets.UTF_8);
        String retimed = header.replace("t=" + t, "t=" + (t + 1));

        assertEquals(204, post(header, body), "the genuine request is accepted (so the rejections below mean something)");
        assertEquals(401, post(header, tampered));
        assertEquals(401, post(retimed, body));
        WebhookDelivererTest.await("three lines", Duration.ofSeconds(5), () -> lines.size() == 3);
        assertEquals(List.of(true, false, false), lines.stream().map(l -> l.path("signature_ok").asBoolean()).toList());
    }

    private int post(String signature, byte[] body) throws Exception {
        try (HttpClient client = HttpClient.newHttpClient()) {
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
                    .header(WebhookSigner.HEADER, signature).header("X-Trunkline-Call-Id", "manual").header("X-Trunkline-Sequence", "1")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
            return client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        }
    }
}
