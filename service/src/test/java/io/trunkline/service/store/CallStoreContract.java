package io.trunkline.service.store;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What every store must do, run against SQLite and PostgreSQL alike. */
abstract class CallStoreContract {
    protected CallStore store;
    private int next;

    /** A new, empty store; each call of this in one test opens the same database (a second node, or a reopen). */
    protected abstract CallStore open();

    @BeforeEach
    void openStore() {
        store = open();
    }

    @AfterEach
    void closeStore() {
        store.close();
    }

    protected NewCall call(Instant notBefore, Instant notAfter) {
        String id = "CA" + String.format("%032x", ++next + (long) System.identityHashCode(this) * 1_000_000L);
        return new NewCall(id, notBefore == null ? "queued" : "scheduled", "+15550100001", "+1555020" + String.format("%04d", next % 10_000),
                "k1", Instant.now(), notBefore, notAfter, "{\"n\":" + next + "}", "{\"id\":\"" + id + "\"}");
    }

    private List<NewCall> calls(int n) {
        List<NewCall> l = new ArrayList<>();
        for (int i = 0; i < n; i++) l.add(call(null, null));
        return l;
    }

    @Test
    void acceptedCallsAreReadBackWhole() {
        NewCall c = call(Instant.parse("2030-01-01T00:00:00Z"), Instant.parse("2030-01-02T00:00:00Z"));
        assertFalse(store.accept(null, "h", List.of(c), "r").replayed());
        StoredCall s = store.get(c.id()).orElseThrow();
        assertEquals(c.status(), s.status());
        assertEquals(c.to(), s.to());
        assertEquals("k1", s.apiKeyId());
        assertEquals(c.notBefore(), s.notBefore());
        assertEquals(c.notAfter(), s.notAfter());
        assertEquals(c.request(), s.request());
        assertEquals(c.resource(), s.resource());
        assertNull(s.dispatchedAt());
        assertFalse(s.ended());
        assertTrue(store.get("CAnone").isEmpty());
    }

    @Test
    void anIdempotencyKeyReplaysItsFirstResponseAndInsertsNothing() {
        List<NewCall> first = calls(2);
        assertFalse(store.accept("key-1", "hash-a", first, "response-1").replayed());
        AcceptResult again = store.accept("key-1", "hash-a", calls(2), "response-2");
        assertTrue(again.replayed());
        assertFalse(again.conflict());
        assertEquals("response-1", again.response());
        assertTrue(store.accept("key-1", "hash-b", calls(1), "response-3").conflict());
        assertEquals(2, store.pendingCount());
        // a day later the key is forgotten (its calls stay), and the same key is a new request
        assertEquals(0, store.purgeIdempotencyKeys(Instant.now().minusSeconds(3600)));
        assertEquals(1, store.purgeIdempotencyKeys(Instant.now().plusSeconds(1)));
        assertFalse(store.accept("key-1", "hash-a", calls(1), "response-4").replayed());
        assertEquals(3, store.pendingCount());
    }

    @Test
    void concurrentAcceptsWithOneKeyInsertOnce() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<AcceptResult>> results = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            List<NewCall> mine = calls(3);
            results.add(pool.submit(() -> {
                go.await();
                return store.accept("same-key", "h", mine, "r");
            }));
        }
        go.countDown();
        int fresh = 0;
        for (Future<AcceptResult> r : results) if (!r.get(20, TimeUnit.SECONDS).replayed()) fresh++;
        pool.shutdown();
        assertEquals(1, fresh);
        assertEquals(3, store.pendingCount());
    }

    @Test
    void claimsNeverHandACallOutTwiceAcrossThreadsAndStores() throws Exception {
        store.accept(null, "h", calls(300), "r");
        Set<String> claimed = ConcurrentHashMap.newKeySet();
        List<String> duplicates = Collections.synchronizedList(new ArrayList<>());
        try (CallStore second = open()) { // a second node on the same database
            ExecutorService pool = Executors.newFixedThreadPool(4);
            List<Future<?>> fs = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                CallStore s = t % 2 == 0 ? store : second;
                fs.add(pool.submit(() -> {
                    List<StoredCall> got;
                    while (!(got = s.claimDue(Instant.now(), 7)).isEmpty()) {
                        for (StoredCall c : got) if (!claimed.add(c.id())) duplicates.add(c.id());
                    }
                }));
            }
            for (Future<?> f : fs) f.get(60, TimeUnit.SECONDS);
            pool.shutdown();
            // each node holds what it claimed, and only that
            assertEquals(300, store.dispatchedUnended().size() + second.dispatchedUnended().size());
        }
        assertEquals(List.of(), duplicates);
        assertEquals(300, claimed.size());
        assertEquals(0, store.pendingCount());
    }

    @Test
    void claimsComeOldestFirstAndRespectTheSchedule() {
        Instant now = Instant.now();
        NewCall later = call(now.plusSeconds(60), null);
        NewCall overdue = call(null, now.minusSeconds(1));
        NewCall a = call(null, null), b = call(now.minusSeconds(5), now.plusSeconds(60));
        store.accept(null, "h", List.of(later, overdue, a, b), "r");
        List<StoredCall> got = store.claimDue(now, 10);
        assertEquals(List.of(a.id(), b.id()), got.stream().map(StoredCall::id).toList());
        assertTrue(got.get(0).seq() < got.get(1).seq());
        assertEquals(now.toEpochMilli(), got.get(0).dispatchedAt().toEpochMilli());
        assertEquals(List.of(later.id()), store.claimDue(now.plusSeconds(61), 10).stream().map(StoredCall::id).toList());
        // the overdue one is never claimed; expiry ends it with its event
        List<StoredCall> expired = store.expireOverdue(now, 10, new CallStore.CallEnding() {
            public String resource(StoredCall c) { return "{\"status\":\"expired\"}"; }
            public List<NewEvent> events(StoredCall c) { return List.of(new NewEvent("completed", "{\"status\":\"expired\"}", "http://127.0.0.1:9/x")); }
        });
        assertEquals(List.of(overdue.id()), expired.stream().map(StoredCall::id).toList());
        StoredCall e = store.get(overdue.id()).orElseThrow();
        assertEquals("expired", e.status());
        assertTrue(e.ended());
        assertEquals("k1", store.events(overdue.id()).get(0).apiKeyId());
        assertEquals(0, store.pendingCount());
    }

    @Test
    void anEndedCallCannotBeReopenedAndOnlyAWaitingOneEndsUndispatched() {
        NewCall a = call(null, null), b = call(null, null);
        store.accept(null, "h", List.of(a, b), "r");
        assertEquals(2, store.claimDue(Instant.now(), 1).size() + store.claimDue(Instant.now(), 1).size());
        NewCall c = call(null, null);
        store.accept(null, "h", List.of(c), "r");
        assertFalse(store.endUndispatched(a.id(), "canceled", "{}", List.of()), "a was dispatched");
        assertTrue(store.endUndispatched(c.id(), "canceled", "{}", List.of(new NewEvent("completed", "{}", null))));
        assertFalse(store.endUndispatched(c.id(), "canceled", "{}", List.of()), "already ended");
        assertTrue(store.update(a.id(), "completed", "{\"s\":1}", true, List.of()));
        assertFalse(store.update(a.id(), "ringing", "{\"s\":2}", false, List.of(new NewEvent("ringing", "{}", null))));
        assertEquals("completed", store.get(a.id()).orElseThrow().status());
        assertEquals(0, store.events(a.id()).size(), "a refused update appends nothing");
        assertTrue(store.requeue(b.id(), "queued", "{}"));
        assertEquals(1, store.pendingCount());
        assertFalse(store.requeue(a.id(), "queued", "{}"));
    }

    @Test
    void theOutboxOffersOnlyEachCallsHeadInOrder() {
        NewCall a = call(null, null), b = call(null, null);
        store.accept(null, "h", List.of(a, b), "r");
        assertEquals(2, store.claimDue(Instant.now(), 10).size()); // the dispatcher journals only calls it holds
        String url = "http://127.0.0.1:9/hook";
        store.update(a.id(), "ringing", "{}", false, List.of(new NewEvent("ringing", "{\"a\":1}", url), new NewEvent("answered", "{\"a\":2}", url)));
        store.update(b.id(), "ringing", "{}", false, List.of(new NewEvent("ringing", "{\"b\":1}", url)));
        store.update(a.id(), "completed", "{}", true, List.of(new NewEvent("completed", "{\"a\":3}", null)));
        List<StoredEvent> events = store.events(a.id());
        assertEquals(List.of(1, 2, 3), events.stream().map(StoredEvent::seq).toList());
        assertFalse(events.get(2).pending(), "an event with no webhook is kept as delivered");
        assertEquals(3, store.pendingEvents());

        Instant now = Instant.now().plusSeconds(1);
        List<StoredEvent> due = store.dueEvents(now, 10, List.of());
        assertEquals(Set.of(a.id() + "/1", b.id() + "/1"), keys(due));
        assertEquals(List.of(b.id() + "/1"), keys(store.dueEvents(now, 10, List.of(a.id()))).stream().toList());
        store.retryLater(a.id(), 1, 1, now.plusSeconds(30), "HTTP 500");
        assertEquals(Set.of(b.id() + "/1"), keys(store.dueEvents(now, 10, List.of())), "a's head waits for its retry; its second event waits behind it");
        assertTrue(store.nextDue().isBefore(now), "b's head is due now; a's second event behind its head does not count");
        store.delivered(b.id(), 1, now, 1);
        assertEquals(now.plusSeconds(30).toEpochMilli(), store.nextDue().toEpochMilli());
        store.abandon(a.id(), 1, 5, "HTTP 500");
        assertEquals(Set.of(a.id() + "/2"), keys(store.dueEvents(now, 10, List.of())));
        StoredEvent abandoned = store.events(a.id()).get(0);
        assertTrue(abandoned.abandoned());
        assertEquals(5, abandoned.attempts());
        assertEquals("HTTP 500", abandoned.lastError());
        store.delivered(a.id(), 2, now, 1);
        assertEquals(0, store.pendingEvents());
        assertNull(store.nextDue());
    }

    @Test
    void listingPagesNewestFirstWithFilters() {
        List<NewCall> all = calls(25);
        store.accept(null, "h", all, "r");
        Set<String> seen = new HashSet<>();
        long cursor = 0, lastSeq = Long.MAX_VALUE;
        for (int page = 0; page < 3; page++) {
            List<StoredCall> p = store.list(new CallQuery(null, null, null, null, null, cursor, 10));
            for (StoredCall c : p) {
                assertTrue(c.seq() < lastSeq);
                lastSeq = c.seq();
                assertTrue(seen.add(c.id()));
            }
            if (p.isEmpty()) break;
            cursor = p.get(p.size() - 1).seq();
        }
        assertEquals(25, seen.size());
        assertEquals(all.get(24).id(), store.list(new CallQuery(null, null, null, null, null, 0, 1)).get(0).id());
        assertEquals(1, store.list(new CallQuery("queued", null, all.get(3).to(), null, null, 0, 10)).size());
        assertEquals(0, store.list(new CallQuery("completed", null, null, null, null, 0, 10)).size());
        assertEquals(25, store.list(new CallQuery(null, "+15550100001", null, Instant.now().minusSeconds(60), Instant.now().plusSeconds(60), 0, 100)).size());
        assertEquals(0, store.list(new CallQuery(null, null, null, Instant.now().plusSeconds(60), null, 0, 100)).size());
    }

    @Test
    void whatWasCommittedSurvivesAReopen() {
        NewCall c = call(null, null);
        store.accept("k", "h", List.of(c), "r");
        store.claimDue(Instant.now(), 1);
        store.update(c.id(), "ringing", "{\"r\":1}", false, List.of(new NewEvent("ringing", "{}", "http://127.0.0.1:9/")));
        store.close();
        store = open();
        assertEquals("ringing", store.get(c.id()).orElseThrow().status());
        assertEquals(1, store.events(c.id()).size());
        assertTrue(store.accept("k", "h", List.of(call(null, null)), "x").replayed());
    }

    @Test
    void aNodeTakenForDeadLosesItsCallsToTheAdopterAndCannotDialThem() {
        JdbcCallStore a = (JdbcCallStore) store;
        NewCall queued = call(null, null), dialing = call(null, null);
        a.accept(null, "h", List.of(queued, dialing), "r");
        a.nodes().heartbeat(Instant.now().minusSeconds(60)); // a's last heartbeat, long ago
        Map<String, Instant> stamps = a.claimDue(Instant.now(), 10).stream().collect(java.util.stream.Collectors.toMap(StoredCall::id, StoredCall::dispatchedAt));
        assertEquals(2, stamps.size());
        assertEquals(CallStore.Dialing.OK, a.markDialing(dialing.id(), stamps.get(dialing.id()), "{}"));
        try (JdbcCallStore b = (JdbcCallStore) open()) {
            b.nodes().heartbeat(Instant.now());
            assertEquals(Set.of(queued.id(), dialing.id()), Set.copyOf(b.nodes().adoptDead(Instant.now().minusSeconds(5))));
            assertEquals(List.of(), b.nodes().adoptDead(Instant.now().minusSeconds(5)), "adopted once");
            assertEquals(Set.of(queued.id(), dialing.id()), b.dispatchedUnended().stream().map(StoredCall::id).collect(java.util.stream.Collectors.toSet()));
            assertEquals(List.of(), a.dispatchedUnended());
            // the old holder's late writes and its attempt to dial change nothing
            assertEquals(CallStore.Dialing.NOT_OURS, a.markDialing(queued.id(), stamps.get(queued.id()), "{}"));
            assertFalse(a.update(dialing.id(), "completed", "{}", true, List.of()));
            assertFalse(a.requeue(queued.id(), "queued", "{}"));
            assertTrue(b.requeue(queued.id(), "queued", "{}"));
            assertFalse(a.nodes().heartbeat(Instant.now()), "its row had gone: it learns it was taken for dead");
        }
    }

    @Test
    void aCallRequeuedAndClaimedAgainIsDialledOnlyByItsLatestDispatch() throws InterruptedException {
        // a node taken for dead keeps the call in its engine; the adopter requeues it, and the same node claims it
        // again: its engine now holds the call twice, and only the later dispatch may send an INVITE, once
        JdbcCallStore a = (JdbcCallStore) store;
        NewCall c = call(null, null);
        a.accept(null, "h", List.of(c), "r");
        Instant first = a.claimDue(Instant.now(), 10).get(0).dispatchedAt();
        a.nodes().heartbeat(Instant.now().minusSeconds(60));
        try (JdbcCallStore b = (JdbcCallStore) open()) {
            b.nodes().heartbeat(Instant.now());
            assertEquals(List.of(c.id()), b.nodes().adoptDead(Instant.now().minusSeconds(5)));
            assertTrue(b.requeue(c.id(), "queued", "{}"));
        }
        a.nodes().heartbeat(Instant.now()); // it rejoins
        Thread.sleep(2); // a later millisecond: dispatch stamps are kept to the millisecond
        List<StoredCall> again = a.claimDue(Instant.now(), 10);
        assertEquals(List.of(c.id()), again.stream().map(StoredCall::id).toList());
        assertEquals(CallStore.Dialing.NOT_OURS, a.markDialing(c.id(), first, "{}"), "the stale dispatch may not dial it");
        assertEquals(CallStore.Dialing.OK, a.markDialing(c.id(), again.get(0).dispatchedAt(), "{}"));
        assertEquals(CallStore.Dialing.NOT_OURS, a.markDialing(c.id(), again.get(0).dispatchedAt(), "{}"), "marked dialing once");
        assertEquals("dialing", a.get(c.id()).orElseThrow().status());
    }

    @Test
    void aHangupTakenByAnotherNodeReachesTheNodeHoldingTheCall() {
        JdbcCallStore a = (JdbcCallStore) store;
        NewCall held = call(null, null), waiting = call(null, null);
        a.accept(null, "h", List.of(held), "r");
        assertEquals(1, a.claimDue(Instant.now(), 10).size());
        a.accept(null, "h", List.of(waiting), "r");
        try (JdbcCallStore b = (JdbcCallStore) open()) {
            assertFalse(a.requestHangup(held.id()), "a holds it: it hangs up itself");
            assertFalse(b.requestHangup(waiting.id()), "nobody holds a waiting call: it is cancelled in the store");
            assertTrue(b.requestHangup(held.id()));
            assertEquals(List.of(held.id()), a.hangupsRequested());
            assertEquals(List.of(), b.hangupsRequested());
        }
    }

    private static Set<String> keys(List<StoredEvent> events) {
        Set<String> s = new java.util.LinkedHashSet<>();
        for (StoredEvent e : events) s.add(e.callId() + "/" + e.seq());
        return s;
    }
}
