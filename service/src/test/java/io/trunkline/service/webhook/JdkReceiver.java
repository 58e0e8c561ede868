package io.trunkline.service.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/** A real HTTP receiver in-process (the JDK's HttpServer on loopback) that records what it gets. */
final class JdkReceiver implements AutoCloseable {
    /** One received request. {@code status} is what the receiver answered. */
    record Received(String callId, int seq, String event, boolean signatureOk, int status, long atNanos, JsonNode body,
                    String userAgent, String contentType, String eventHeader, byte[] raw, String signature) {}

    /** Decides the answer to the n-th request (from 1): an HTTP status, after sleeping {@code delayMillis}. */
    interface Behaviour {
        Answer answer(int n, JsonNode body);
    }

    record Answer(int status, long delayMillis) {
        static Answer ok() { return new Answer(200, 0); }
    }

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private final HttpServer server;
    private final List<Received> received = new ArrayList<>(); // guarded by itself
    private final AtomicInteger requests = new AtomicInteger();
    private volatile Behaviour behaviour;

    JdkReceiver(int port, byte[] secret, Behaviour behaviour) throws IOException {
        this.behaviour = behaviour;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 64);
        // one virtual thread per request, so a slow answer does not hold up other requests
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            String sig = exchange.getRequestHeaders().getFirst(WebhookSigner.HEADER);
            boolean ok = WebhookSigner.verify(secret, sig, body, Instant.now(), 300);
            JsonNode json = MAPPER.readTree(body);
            Answer a = this.behaviour.answer(requests.incrementAndGet(), json);
            if (a.delayMillis() > 0) {
                try { Thread.sleep(a.delayMillis()); } catch (InterruptedException e) { Thread.currentThread().interrupt(); }
            }
            var h = exchange.getRequestHeaders();
            synchronized (received) {
                received.add(new Received(h.getFirst("X-Trunkline-Call-Id"), Integer.parseInt(h.getFirst("X-Trunkline-Sequence")),
                        json.path("event").asText(), ok, a.status(), System.nanoTime(), json, h.getFirst("User-Agent"),
                        h.getFirst("Content-Type"), h.getFirst("X-Trunkline-Event"), body, sig));
            }
            exchange.sendResponseHeaders(a.status(), -1);
            exchange.close();
        });
        server.start();
    }

    static JdkReceiver ok(byte[] secret) throws IOException { return new JdkReceiver(0, secret, (n, b) -> Answer.ok()); }

    void behave(Behaviour b) { behaviour = b; }

    int port() { return server.getAddress().getPort(); }

    String url(String path) { return "http://127.0.0.1:" + port() + path; }

    List<Received> received() { synchronized (received) { return List.copyOf(received); } }

    /** Requests answered 2xx: what the deliverer must have recorded as delivered. */
    List<Received> accepted() { return received().stream().filter(r -> r.status() / 100 == 2).toList(); }

    int requests() { return requests.get(); }

    @Override
    public void close() { server.stop(0); }
}
