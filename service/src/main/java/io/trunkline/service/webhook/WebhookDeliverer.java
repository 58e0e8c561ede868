package io.trunkline.service.webhook;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.trunkline.service.store.EventOutbox;
import io.trunkline.service.store.StoredEvent;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers the outbox's events to their webhook URLs: signed, retried with backoff, in order per call.
 *
 * <p>One dispatcher thread asks the outbox for due events (when {@link #wake() woken}, when a request finishes, at
 * the next due attempt, or every poll interval) and starts each on a virtual thread; at most {@code workers} run at
 * once, and at most {@link WebhookSettings#perEndpointLimit()} per endpoint, so one slow receiver cannot hold up
 * the rest. A call stays in the busy set while one of its events is in flight, and the outbox offers only a call's
 * head event, so a call's events go one after another. Nothing is queued here: what is not in flight stays in the
 * outbox. Delivery is at least once: a receiver that answers after the timeout sees the event again.
 */
public final class WebhookDeliverer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(WebhookDeliverer.class);
    /** Outbox queries per dispatch pass when events are skipped because their endpoint is at its limit. */
    private static final int MAX_ROUNDS = 8;

    private final EventOutbox outbox;
    private final Function<String, byte[]> secretForApiKeyId;
    private final WebhookSettings settings;
    private final Clock clock;
    private final HttpClient http;
    private final ExecutorService requests = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("webhook-", 0).factory());
    private final Set<String> busyCalls = ConcurrentHashMap.newKeySet();
    private final Map<String, Integer> inFlightPerEndpoint = new ConcurrentHashMap<>();
    private final AtomicInteger inFlight = new AtomicInteger(); // incremented only by the dispatcher
    private final AtomicReference<Instant> soonestRetry = new AtomicReference<>(); // set by requests, taken by the dispatcher
    private final Counter delivered, failed, abandoned;
    private final Timer latency;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition signal = lock.newCondition();
    private boolean woken; // guarded by lock
    private volatile boolean running;
    private Thread dispatcher;

    public WebhookDeliverer(EventOutbox outbox, Function<String, byte[]> secretForApiKeyId, WebhookSettings settings,
                            MeterRegistry registry, Clock clock) {
        this.outbox = outbox;
        this.secretForApiKeyId = secretForApiKeyId;
        this.settings = settings;
        this.clock = clock;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(settings.timeout())
                .followRedirects(HttpClient.Redirect.NEVER).build();
        this.delivered = Counter.builder("trunkline.webhooks.delivered").description("events a receiver accepted (2xx)").register(registry);
        this.failed = Counter.builder("trunkline.webhooks.failed").description("failed delivery attempts").register(registry);
        this.abandoned = Counter.builder("trunkline.webhooks.abandoned").description("events given up after the retry period").register(registry);
        this.latency = Timer.builder("trunkline.webhooks.latency").description("from an event's creation to its delivery").register(registry);
        registry.gauge("trunkline.webhooks.in_flight", inFlight);
    }

    public synchronized void start() {
        if (dispatcher != null) throw new IllegalStateException("already started");
        running = true;
        dispatcher = Thread.ofPlatform().name("webhook-dispatcher").daemon().start(this::dispatchLoop);
    }

    /** New events were appended (or a request finished): look at the outbox now rather than at the next poll. */
    public void wake() {
        lock.lock();
        try {
            woken = true;
            signal.signal();
        } finally {
            lock.unlock();
        }
    }

    /** Stops dispatching and waits up to one request timeout for requests in flight; the rest stay in the outbox. */
    @Override
    public void close() {
        Thread d;
        synchronized (this) {
            running = false;
            d = dispatcher;
        }
        wake();
        try {
            if (d != null) d.join(settings.timeout().toMillis() + 1000);
            requests.shutdown();
            if (!requests.awaitTermination(settings.timeout().toMillis(), TimeUnit.MILLISECONDS)) requests.shutdownNow();
        } catch (InterruptedException e) {
            requests.shutdownNow();
            Thread.currentThread().interrupt();
        }
        http.shutdownNow();
    }

    private void dispatchLoop() {
        Instant ownRetry = null; // the soonest retry this deliverer scheduled and has not yet reached
        while (running) {
            Duration wait = settings.pollInterval();
            try {
                ownRetry = earlier(ownRetry, soonestRetry.getAndSet(null));
                Instant now = clock.instant();
                if (ownRetry != null && !ownRetry.isAfter(now)) ownRetry = null; // this pass will see it
                dispatchDue();
                // nextDue() covers retries scheduled before a restart; but it is in the past whenever any call has
                // a second event waiting behind its head, so our own scheduled retries give the exact wake-up time.
                // A due event we could not start (busy call, full endpoint) is retried when a request finishes.
                wait = shorter(wait, now, outbox.nextDue());
                wait = shorter(wait, now, ownRetry);
            } catch (RuntimeException e) {
                log.warn("webhooks: reading the outbox failed, retrying at the next poll: {}", e.toString());
            }
            await(wait);
        }
    }

    private static Duration shorter(Duration wait, Instant now, Instant at) {
        if (at == null) return wait;
        Duration until = Duration.between(now, at);
        return until.isPositive() && until.compareTo(wait) < 0 ? until : wait;
    }

    private static Instant earlier(Instant a, Instant b) {
        return a == null ? b : b == null ? a : a.isBefore(b) ? a : b;
    }

    /** Sleeps until woken or {@code wait} has passed; a wake that came while dispatching is not lost. */
    private void await(Duration wait) {
        lock.lock();
        try {
            long nanos = wait.toNanos();
            while (!woken && running && nanos > 0) nanos = signal.awaitNanos(nanos);
            woken = false;
        } catch (InterruptedException e) {
            running = false;
            Thread.currentThread().interrupt();
        } finally {
            lock.unlock();
        }
    }

    private void dispatchDue() {
        Set<String> skipped = new HashSet<>(); // calls whose endpoint is at its limit, for this pass only
        for (int round = 0; round < MAX_ROUNDS && running; round++) {
            int free = settings.workers() - inFlight.get();
            if (free <= 0) return;
            Set<String> exclude = new HashSet<>(busyCalls);
            exclude.addAll(skipped);
            List<StoredEvent> due = outbox.dueEvents(clock.instant(), free, exclude);
            boolean skippedAny = false;
            for (StoredEvent event : due) {
                if (!running || inFlight.get() >= settings.workers()) return;
                URI uri = parse(event.url());
                String endpoint = uri == null ? null : endpointOf(uri);
                if (endpoint != null && !reserve(endpoint)) {
                    skipped.add(event.callId());
                    skippedAny = true;
                    continue;
                }
                busyCalls.add(event.callId()); // before the request starts, so the next query cannot offer it again
                inFlight.incrementAndGet();
                requests.execute(() -> run(event, uri, endpoint));
            }
            // ask again only when endpoint limits made us pass some by: other calls may be due behind them
            if (!skippedAny) return;
        }
    }

    private void run(StoredEvent event, URI uri, String endpoint) {
        try {
            attempt(event, uri);
        } catch (RuntimeException e) {
            // the store failed to record the outcome: the event stays pending and is tried again (at least once)
            log.warn("webhooks: recording call {} event {} failed: {}", event.callId(), event.seq(), e.toString());
        } finally {
            busyCalls.remove(event.callId());
            if (endpoint != null) inFlightPerEndpoint.computeIfPresent(endpoint, (k, n) -> n <= 1 ? null : n - 1);
            inFlight.decrementAndGet();
            wake(); // a worker is free, and the call's next event may go
        }
    }

    private void attempt(StoredEvent event, URI uri) {
        int attempts = event.attempts() + 1;
        if (uri == null) {
            giveUp(event, attempts, "invalid url");
            return;
        }
        byte[] body;
        try {
            body = WebhookBody.render(event);
        } catch (IllegalArgumentException e) {
            giveUp(event, attempts, e.getMessage());
            return;
        }
        byte[] secret = secretForApiKeyId.apply(event.apiKeyId());
        if (secret == null) { // the key may be restored: retry within the window rather than abandon at once
            failed(event, attempts, "no webhook secret for the API key");
            return;
        }
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(settings.timeout())
                .header("Content-Type", "application/json")
                .header("User-Agent", "Trunkline/0.1")
                .header("X-Trunkline-Event", event.type())
                .header("X-Trunkline-Call-Id", event.callId())
                .header("X-Trunkline-Sequence", Integer.toString(event.seq()))
                .header(WebhookSigner.HEADER, WebhookSigner.header(secret, clock.instant().getEpochSecond(), body))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        String error;
        try {
            int status = send(request);
            if (status / 100 == 2) {
                Instant at = clock.instant();
                outbox.delivered(event.callId(), event.seq(), at, attempts);
                delivered.increment();
                latency.record(Duration.between(event.createdAt(), at));
                return;
            }
            error = "HTTP " + status;
        } catch (InterruptedException e) { // closing: the attempt is not recorded, the event stays as it was
            Thread.currentThread().interrupt();
            return;
        } catch (IOException | TimeoutException e) {
            error = describe(e, settings.timeout().toMillis());
        }
        failed(event, attempts, error);
    }

    /** Sends with one deadline for the whole exchange: the request timeout alone stops at the response headers. */
    private int send(HttpRequest request) throws IOException, InterruptedException, TimeoutException {
        CompletableFuture<HttpResponse<Void>> response = http.sendAsync(request, HttpResponse.BodyHandlers.discarding());
        try {
            return response.get(settings.timeout().toMillis(), TimeUnit.MILLISECONDS).statusCode();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) throw io;
            throw new IOException(e.getCause());
        } finally {
            response.cancel(true); // no-op when done; otherwise it aborts the exchange
        }
    }

    private void failed(StoredEvent event, int attempts, String error) {
        failed.increment();
        Instant now = clock.instant();
        if (Duration.between(event.createdAt(), now).compareTo(settings.retryFor()) >= 0) {
            giveUp(event, attempts, error);
            return;
        }
        Instant next = now.plus(settings.backoff(attempts, ThreadLocalRandom.current()));
        log.debug("webhooks: call {} event {} attempt {} failed ({}), next at {}", event.callId(), event.seq(), attempts, error, next);
        outbox.retryLater(event.callId(), event.seq(), attempts, next, error);
        soonestRetry.accumulateAndGet(next, WebhookDeliverer::earlier);
    }

    private void giveUp(StoredEvent event, int attempts, String error) {
        log.warn("webhooks: call {} event {} abandoned after {} attempts: {}", event.callId(), event.seq(), attempts, error);
        outbox.abandon(event.callId(), event.seq(), attempts, error);
        abandoned.increment();
    }

    private boolean reserve(String endpoint) {
        boolean[] reserved = {false};
        inFlightPerEndpoint.compute(endpoint, (k, n) -> {
            int count = n == null ? 0 : n;
            if (count >= settings.perEndpointLimit()) return n;
            reserved[0] = true;
            return count + 1;
        });
        return reserved[0];
    }

    /** An http(s) URL with a host, or null: such an event can never be delivered. */
    private static URI parse(String url) {
        if (url == null) return null;
        try {
            URI uri = new URI(url);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            return (scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null ? uri : null;
        } catch (java.net.URISyntaxException e) {
            return null;
        }
    }

    /** Scheme, host and port: the user-info part of the authority stays out (it may hold credentials). */
    private static String endpointOf(URI uri) {
        return uri.getScheme().toLowerCase(Locale.ROOT) + "://" + uri.getHost().toLowerCase(Locale.ROOT) + ":" + uri.getPort();
    }

    /** A short, secret-free reason: exception messages can carry URLs (and their tokens), so none is copied. */
    static String describe(Throwable failure, long timeoutMillis) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof HttpConnectTimeoutException) return "connect timeout after " + timeoutMillis + " ms";
            if (t instanceof HttpTimeoutException || t instanceof TimeoutException) return "timeout after " + timeoutMillis + " ms";
            if (t instanceof ConnectException) return "connect refused";
            if (t instanceof UnknownHostException || t instanceof UnresolvedAddressException) return "unknown host";
            if (t instanceof SSLException) return "TLS error";
        }
        return "I/O error (" + failure.getClass().getSimpleName() + ")";
    }
}
