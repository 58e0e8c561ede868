package io.trunkline.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.trunkline.sim.SimConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The README's API examples, run as written with curl (a real HTTP client) against a real service with media, so
 * the documentation cannot drift from what the API does.
 */
class ReadmeExamplesTest {
    @TempDir
    Path home;

    @Test
    void everyCurlExampleInTheReadmeGetsTheAnswerItDescribes() throws Exception {
        String readme = Files.readString(Path.of("..", "README.md"), StandardCharsets.UTF_8);
        int start = readme.indexOf("<!-- api-examples -->");
        int end = readme.indexOf("<!-- /api-examples -->");
        assertTrue(start > 0 && end > start, "README has the api-examples block");
        String block = readme.substring(start, end);
        block = block.substring(block.indexOf("```sh") + 5, block.lastIndexOf("```"));
        List<String> commands = new ArrayList<>();
        for (String line : block.split("\n")) if (line.startsWith("curl ")) commands.add(line);
        assertEquals(8, commands.size(), "the examples the assertions below speak of");

        try (ServiceFixture f = new ServiceFixture(home, SimConfig.answerAll().withRingMs(100).withHoldMs(5000), 20, 20, c -> c, true)) {
            String tl = "http://127.0.0.1:" + f.service.port();
            JsonNode one = run(commands.get(0), tl, null);
            String call = one.get("id").asText();
            assertEquals("queued", one.get("status").asText(), one.toString());
            assertEquals("enable", one.get("machine_detection").asText());
            assertEquals(call, run(commands.get(0), tl, null).get("id").asText(), "the Idempotency-Key replays the same call");

            JsonNode batch = run(commands.get(1), tl, null);
            assertEquals(2, batch.get("accepted").asInt());
            assertEquals("recipients[2].to", batch.get("calls").get(2).get("field").asText());

            JsonNode later = run(commands.get(2), tl, null);
            assertEquals("scheduled", later.get("status").asText());
            JsonNode list = run(commands.get(3), tl, null);
            assertEquals(later.get("id"), list.get("calls").get(0).get("id"));

            // wait until the first call is answered: AMD runs on the callee's greeting
            long deadline = System.nanoTime() + 15_000_000_000L;
            JsonNode got;
            do {
                got = run(commands.get(4), tl, call);
                Thread.sleep(50);
            } while (!"in-progress".equals(got.get("status").asText()) && System.nanoTime() < deadline);
            assertEquals("in-progress", got.get("status").asText(), got.toString());
            JsonNode events = run(commands.get(5), tl, call).get("events");
            assertEquals("ringing", events.get(0).get("event").asText());
            assertEquals("answered", events.get(1).get("event").asText());
            assertEquals(1001, events.get(1).get("payload").get("metadata").get("order").asInt());

            JsonNode hung = run(commands.get(6), tl, call);
            assertEquals(call, hung.get("id").asText());
            JsonNode ended = f.awaitEnded(call, Duration.ofSeconds(10));
            assertEquals("api", ended.get("hangup_by").asText());
            assertEquals("completed", ended.get("status").asText());

            JsonNode refused = run(commands.get(7), tl, null);
            assertEquals("machine_detection_time", refused.get("field").asText());
            assertEquals("must be 2000..10000 ms, got 500", refused.get("message").asText());
        }
    }

    /** Runs one README line in bash with TL, KEY and CALL set, and parses what curl printed. */
    private static JsonNode run(String command, String tl, String call) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("bash", "-c", command).redirectErrorStream(true);
        pb.environment().put("TL", tl);
        pb.environment().put("KEY", ServiceFixture.KEY);
        pb.environment().put("CALL", call == null ? "" : call);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(20, TimeUnit.SECONDS) || p.exitValue() != 0) fail("`" + command + "` exited " + p.exitValue() + ": " + out);
        return new ObjectMapper().readTree(out);
    }
}
