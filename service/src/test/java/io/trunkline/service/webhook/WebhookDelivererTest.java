package io.trunkline.service.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.trunkline.service.store.StoredEvent;
import io.trunkline.service.webhook.JdkReceiver.Answer;
import io.trunkline.service.webhook.JdkReceiver.Received;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The deliverer against real HTTP receivers on loopback, with a faithful in-memory outbox. */
class WebhookDelivererTest {
    static final byte[] SECRET = "whsec_test_5f2b9c".getBytes(StandardCharsets.UTF_8);
    static final String KEY = "key_1";

    private final Clock clock = Clock.systemUTC();
    private final InMemoryOutbox outbox = new InMemoryOutbox(clock);
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final List<AutoCloseable> resources = new ArrayList<>();

    @AfterEach
    void tearDown() throws Exception {
        for (int i = resources.size() - 1; i >= 0; i--) resources.get(i).close();
        assertEquals(List.of(), outbox.violations(), "outbox updates of events that were not the call's pending head");
    }

    static WebhookSettings quick(int workers, Duration timeout, Duration retryFor) {
        return new WebhookSettings(workers, timeout, retryFor, Duration.ofMillis(50), Duration.ofMillis(200), Duration.ofMillis(200));
    }

    private WebhookDeliverer start(WebhookSettings settings) {
        WebhookDeliverer d = new WebhookDeliverer(outbox, key -> key.equals(KEY) ? SECRET : null, settings, registry, clock);
        resources.add(d);
        d.start();
        return d;
    }

    private <T extends AutoCloseable> T closeLater(T resource) {
        resources.add(resource);
        return resource;
    }

    private void append(String call, int events, String url) {
        for (int i = 0; i < events; i++) outbox.append(call, "ringing", "{\"call_id\":\"" + call + "\",\"n\":" + i + "}", url, KEY);
    }

    private double count(String name) { return registry.counter(name).count(); }

    static void await(String what, Duration within, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) fail("not within " + within.toMillis() + " ms: " + what);
            Thread.sleep(5);
        }
    }

    /** Each call's accepted events, in arrival order, are exactly 1..n. */
    static void assertOncePerCallInOrder(List<Received> accepted, Map<String, Integer> expected) {
        Map<String, List<Integer>> byCall = new LinkedHashMap<>();
        for (Received r : accepted) byCall.computeIfAbsent(r.callId(), k -> new ArrayList<>()).add(r.seq());
        assertEquals(expected.keySet(), byCall.keySet());
        expected.forEach((call, n) -> assertEquals(IntStream.rangeClosed(1, n).boxed().toList(), byCall.get(call), "call " + call));
    }

    @Test
    void everyEventArrivesOnceAndInOrderPerCallDespiteSomeFailures() throws Exception {
        // every 7th request fails: retries must neither reorder a call's events nor deliver one twice
        JdkReceiver receiver = closeLater(new JdkReceiver(0, SECRET, (n, body) -> new Answer(n % 7 == 0 ? 500 : 200, 0)));
        Map<String, Integer> expected = new LinkedHashMap<>();
        for (int c = 0; c < 3; c++) { append("c" + c, 8, receiver.url("/hook")); expected.put("c" + c, 8); }
        WebhookDeliverer d = start(quick(8, Duration.ofSeconds(2), Duration.ofSeconds(30)));
        for (int c = 3; c < 6; c++) { append("c" + c, 8, receiver.url("/hook")); expected.put("c" + c, 8); d.wake(); }

        await("all delivered", Duration.ofSeconds(15), () -> outbox.pendingEvents() == 0);
        List<Received> accepted = receiver.accepted();
        assertOncePerCallInOrder(accepted, expected);
        assertTrue(accepted.stream().allMatch(Received::signatureOk), "every signature verifies");
        Received first = accepted.getFirst();
        assertEquals("Trunkline/0.1", first.userAgent());
        assertEquals("application/json", first.contentType());
        assertEquals("ringing", first.eventHeader());
        assertEquals(first.seq(), first.body().path("sequence_number").asInt());
        assertEquals(48, count("trunkline.webhooks.delivered"));
        long failures = receiver.received().stream().filter(r -> r.status() == 500).count();
        assertTrue(failures > 0, "the scenario must include failures");
        assertEquals(failures, count("trunkline.webhooks.failed"));
        assertEquals(48, registry.timer("trunkline.webhooks.latency").count());
        assertEquals(0, registry.get("trunkline.webhooks.in_flight").gauge().value());
    }

    @Test
    void wakeStartsDeliveryWithoutWaitingForThePoll() throws Exception {
        JdkReceiver receiver = closeLater(JdkReceiver.ok(SECRET));
        WebhookDeliverer d = start(new WebhookSettings(2, Duration.ofSeconds(2), Duration.ofSeconds(30),
                Duration.ofMillis(50), Duration.ofMillis(200), Duration.ofSeconds(10)));
        Thread.sleep(100); // the dispatcher has polled the empty outbox and sleeps for 10 s
        append("w", 1, receiver.url("/"));
        d.wake();
        await("delivered soon after wake()", Duration.ofMillis(1500), () -> receiver.accepted().size() == 1);
    }

    @Test
    void receiverDownForAWhileGetsEveryEventOnceInOrderAfterRecovery() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) { port = s.getLocalPort(); } // closed: connections are refused
        String url = "http://127.0.0.1:" + port + "/hook?token=sekrit";
        Map<String, Integer> expected = Map.of("a", 3, "b", 3, "c", 3);
        expected.forEach((call, n) -> append(call, n, url));
        start(quick(4, Duration.ofSeconds(2), Duration.ofSeconds(30)));

        await("failed attempts while down", Duration.ofSeconds(5), () -> count("trunkline.webhooks.failed") >= 6);
        StoredEvent head = outbox.event("a", 1);
        assertEquals("connect refused", head.lastError());
        assertTrue(head.attempts() >= 1 && head.pending());
        assertEquals(0, outbox.events("a").stream().filter(e -> e.seq() > 1 && e.attempts() > 0).count(), "later events wait for the head");

        JdkReceiver receiver = closeLater(new JdkReceiver(port, SECRET, (n, b) -> Answer.ok()));
        await("all delivered after recovery", Duration.ofSeconds(10), () -> outbox.pendingEvents() == 0);
        assertOncePerCallInOrder(receiver.accepted(), expected);
        for (String call : expected.keySet()) {
            for (StoredEvent e : outbox.events(call)) {
                assertFalse(String.valueOf(e.lastError()).contains("sekrit"), "no URL token in the error");
            }
        }
    }

    @Test
    void fiveHundredsAreRetriedWithBackoffThenDeliveredOnce() throws Exception {
        JdkReceiver receiver = closeLater(new JdkReceiver(0, SECRET, (n, b) -> new Answer(n <= 4 ? 500 : 204, 0)));
        append("x", 5, receiver.url("/"));
        // a 10 s poll: retries on time prove the dispatcher wakes for the retries it scheduled
        start(new WebhookSettings(2, Duration.ofSeconds(2), Duration.ofSeconds(30), Duration.ofMillis(50),
                Duration.ofMillis(200), Duration.ofSeconds(10)));

        await("all delivered", Duration.ofSeconds(3), () -> outbox.pendingEvents() == 0);
        assertOncePerCallInOrder(receiver.accepted(), Map.of("x", 5));
        StoredEvent first = outbox.event("x", 1);
        assertEquals(5, first.attempts(), "the four 500s all hit the call's head event");
        assertEquals("HTTP 500", first.lastError());
        assertEquals(4, count("trunkline.webhooks.failed"));
        List<Received> all = receiver.received();
        for (int i = 1; i <= 4; i++) { // backoff 50 ms doubling, equal jitter: every wait is at least 25 ms
            long gapMillis = (all.get(i).atNanos() - all.get(i - 1).atNanos()) / 1_000_000;
            assertTrue(gapMillis >= 20, "retry " + i + " came after " + gapMillis + " ms");
        }
    }

    @Test
    void slowEndpointTimesOutAndDoesNotDelayAFastOne() throws Exception {
        JdkReceiver slow = closeLater(new JdkReceiver(0, SECRET, (n, b) -> new Answer(200, 3000)));
        JdkReceiver quick = closeLater(JdkReceiver.ok(SECRET));
        // the slow calls are older, so the outbox offers them first
        for (int c = 0; c < 4; c++) append("slow" + c, 2, slow.url("/"));
        Map<String, Integer> fastExpected = Map.of("f0", 3, "f1", 3, "f2", 3);
        fastExpected.forEach((call, n) -> append(call, n, quick.url("/")));
        long started = System.nanoTime();
        start(quick(4, Duration.ofMillis(1000), Duration.ofSeconds(30))); // at most 2 in flight per endpoint

        await("fast endpoint served while the slow one hangs", Duration.ofMillis(800),
                () -> fastExpected.keySet().stream().allMatch(c -> outbox.events(c).stream().noneMatch(StoredEvent::pending)));
        long fastMillis = (System.nanoTime() - started) / 1_000_000;
        assertTrue(fastMillis < 800, "fast endpoint took " + fastMillis + " ms");
        assertOncePerCallInOrder(quick.accepted(), fastExpected);
        assertEquals(2, slow.requests(), "the slow endpoint is held to half the workers");

        await("slow head retried after its timeout", Duration.ofSeconds(5),
                () -> outbox.events("slow0").getFirst().attempts() >= 1 && outbox.events("slow0").getFirst().lastError() != null);
        StoredEvent head = outbox.event("slow0", 1);
        assertEquals("timeout after 1000 ms", head.lastError());
        assertTrue(head.pending());
    }

    @Test
    void exhaustedRetryWindowAbandonsTheEventAndTheCallsNextEventGoes() throws Exception {
        JdkReceiver receiver = closeLater(new JdkReceiver(0, SECRET,
                (n, body) -> new Answer(body.path("call_id").asText().equals("a") && body.path("sequence_number").asInt() == 1 ? 500 : 200, 0)));
        append("a", 3, receiver.url("/"));
        append("b", 2, receiver.url("/"));
        start(quick(4, Duration.ofSeconds(2), Duration.ofMillis(600)));

        await("all settled", Duration.ofSeconds(10), () -> outbox.pendingEvents() == 0);
        StoredEvent first = outbox.event("a", 1);
        assertTrue(first.abandoned());
        assertEquals("HTTP 500", first.lastError());
        assertTrue(first.attempts() >= 2, "retried before giving up: " + first.attempts());
        assertEquals(1, count("trunkline.webhooks.abandoned"));
        assertOncePerCallInOrder(receiver.accepted().stream().filter(r -> r.callId().equals("b")).toList(), Map.of("b", 2));
        assertEquals(List.of(2, 3), receiver.accepted().stream().filter(r -> r.callId().equals("a")).map(Received::seq).toList());
        List<Integer> aOrder = receiver.received().stream().filter(r -> r.callId().equals("a")).map(Received::seq).toList();
        int lastOne = aOrder.lastIndexOf(1);
        assertEquals(List.of(2, 3), aOrder.subList(lastOne + 1, aOrder.size()), "a's next events go only after 1 was abandoned");
        assertTrue(aOrder.subList(0, lastOne + 1).stream().allMatch(s -> s == 1));
    }

    @Test
    void signatureOfARealRequestVerifiesWithOpenssl() throws Exception {
        JdkReceiver receiver = closeLater(JdkReceiver.ok(SECRET));
        append("o", 1, receiver.url("/"));
        start(quick(1, Duration.ofSeconds(2), Duration.ofSeconds(30)));
        await("delivered", Duration.ofSeconds(5), () -> receiver.accepted().size() == 1);
        Received r = receiver.accepted().getFirst();

        String t = r.signature().replaceAll("^t=(\\d+),.*$", "$1");
        String v1 = r.signature().replaceAll("^.*v1=([0-9a-f]{64})$", "$1");
        assertEquals(v1, OpensslHmac.hex(SECRET, (t + ".").getBytes(StandardCharsets.US_ASCII), r.raw()));
        byte[] tampered = new String(r.raw(), StandardCharsets.UTF_8).replace("ringing", "answered").getBytes(StandardCharsets.UTF_8);
        assertFalse(v1.equals(OpensslHmac.hex(SECRET, (t + ".").getBytes(StandardCharsets.US_ASCII), tampered)));
    }
}
