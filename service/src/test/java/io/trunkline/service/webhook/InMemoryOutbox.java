package io.trunkline.service.webhook;

import io.trunkline.service.store.EventOutbox;
import io.trunkline.service.store.StoredEvent;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A test outbox, faithful to {@link EventOutbox}'s javadoc: only each call's lowest pending event, only once its
 * nextAttemptAt has come, busy calls skipped, oldest first. It also fails loudly on what a real store would reject
 * (an update of an event that is not the call's pending head), so a deliverer bug shows up as a test failure.
 */
final class InMemoryOutbox implements EventOutbox {
    private final Clock clock;
    private final Map<String, List<StoredEvent>> calls = new LinkedHashMap<>(); // guarded by this
    private final List<String> violations = new ArrayList<>();

    InMemoryOutbox(Clock clock) { this.clock = clock; }

    synchronized StoredEvent append(String callId, String type, String payload, String url, String apiKeyId) {
        List<StoredEvent> events = calls.computeIfAbsent(callId, k -> new ArrayList<>());
        Instant now = clock.instant();
        StoredEvent e = new StoredEvent(callId, events.size() + 1, type, payload, url, apiKeyId, now, 0, now, null, false, null);
        events.add(e);
        return e;
    }

    @Override
    public synchronized List<StoredEvent> dueEvents(Instant now, int max, Collection<String> busyCalls) {
        List<StoredEvent> due = new ArrayList<>();
        for (Map.Entry<String, List<StoredEvent>> c : calls.entrySet()) {
            if (busyCalls.contains(c.getKey())) continue;
            StoredEvent head = c.getValue().stream().filter(StoredEvent::pending).findFirst().orElse(null);
            if (head != null && !head.nextAttemptAt().isAfter(now)) due.add(head);
        }
        due.sort(Comparator.comparing(StoredEvent::createdAt));
        return due.size() > max ? List.copyOf(due.subList(0, max)) : due;
    }

    @Override
    public synchronized void delivered(String callId, int seq, Instant at, int attempts) {
        StoredEvent e = head(callId, seq, "delivered");
        put(new StoredEvent(callId, seq, e.type(), e.payload(), e.url(), e.apiKeyId(), e.createdAt(), attempts,
                e.nextAttemptAt(), at, false, e.lastError()));
    }

    @Override
    public synchronized void retryLater(String callId, int seq, int attempts, Instant nextAttemptAt, String error) {
        StoredEvent e = head(callId, seq, "retryLater");
        put(new StoredEvent(callId, seq, e.type(), e.payload(), e.url(), e.apiKeyId(), e.createdAt(), attempts,
                nextAttemptAt, null, false, error));
    }

    @Override
    public synchronized void abandon(String callId, int seq, int attempts, String error) {
        StoredEvent e = head(callId, seq, "abandon");
        put(new StoredEvent(callId, seq, e.type(), e.payload(), e.url(), e.apiKeyId(), e.createdAt(), attempts,
                e.nextAttemptAt(), null, true, error));
    }

    @Override
    public synchronized long pendingEvents() {
        return calls.values().stream().flatMap(List::stream).filter(StoredEvent::pending).count();
    }

    @Override
    public synchronized Instant nextDue() {
        return calls.values().stream().flatMap(List::stream).filter(StoredEvent::pending)
                .map(StoredEvent::nextAttemptAt).min(Comparator.naturalOrder()).orElse(null);
    }

    synchronized List<StoredEvent> events(String callId) { return List.copyOf(calls.getOrDefault(callId, List.of())); }

    synchronized StoredEvent event(String callId, int seq) { return calls.get(callId).get(seq - 1); }

    /** Updates of events that were not the call's pending head: each is a deliverer bug. */
    synchronized List<String> violations() { return List.copyOf(violations); }

    private StoredEvent head(String callId, int seq, String op) {
        List<StoredEvent> events = calls.get(callId);
        StoredEvent head = events == null ? null : events.stream().filter(StoredEvent::pending).findFirst().orElse(null);
        if (head == null || head.seq() != seq) violations.add(op + " " + callId + "/" + seq + " is not the pending head");
        return events.get(seq - 1);
    }

    private void put(StoredEvent e) { calls.get(e.callId()).set(e.seq() - 1, e); }
}
