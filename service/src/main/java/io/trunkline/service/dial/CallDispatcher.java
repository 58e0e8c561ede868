package io.trunkline.service.dial;

import io.trunkline.amd.AmdResult;
import io.trunkline.engine.Call;
import io.trunkline.engine.CallListener;
import io.trunkline.engine.CallRecord;
import io.trunkline.engine.CallState;
import io.trunkline.engine.Engine;
import io.trunkline.engine.EndReason;
import io.trunkline.service.api.CallSpec;
import io.trunkline.service.store.CallStore;
import io.trunkline.service.store.NewEvent;
import io.trunkline.service.store.StoredCall;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;

/**
 * Moves calls from the store into the engine and journals what the engine reports, so the store always knows what
 * happened to every call.
 *
 * <p>The rules that make a crash harmless: a call is marked dispatched in the store (committed) before it is handed
 * to the engine, so it is handed over at most once per process; and it is marked {@code dialing} (committed) by the
 * engine's {@link CallListener#beforeFirstInvite} hook, on the dial edge's thread, before its first INVITE exists.
 * After a crash, a call marked dialing (or further) and never ended was in flight: it is ended as
 * {@code failed: engine restarted during the call} and never dialled again; a call still marked waiting was never
 * sent, and is dialled once. The engine is kept only {@code feedWindow} calls ahead of its dial edge; the rest wait
 * in the store.
 */
public final class CallDispatcher implements AutoCloseable {
    public static final String RESTARTED = "engine restarted during the call";
    static final Duration IDEMPOTENCY_KEPT = Duration.ofHours(24);
    private static final Logger log = LoggerFactory.getLogger(CallDispatcher.class);

    private final CallStore store;
    private final Engine engine;
    private final MediaRequests media;
    private final Runnable eventsAppended;
    private final Outcomes outcomes;
    private final Clock clock;
    private final int feedWindow;
    private final Map<String, Live> live = new ConcurrentHashMap<>();
    private final Thread feeder;
    private volatile boolean running = true;
    private volatile boolean stopping;
    private volatile long backOffUntilNanos;
    /** The last claim filled its batch (or the engine had no room): older calls wait in the store, so new ones queue behind them. */
    private volatile boolean backlog = true;
    /** Whether this node may dial yet (a node joining others waits for them to lower their CPS shares). */
    private volatile java.util.function.BooleanSupplier ready = () -> true;

    /** Who counts outcomes (the metrics). */
    public interface Outcomes {
        /** A call's first INVITE is about to leave. */
        default void started() {}

        void ended(String status);

        void amdVerdict(String answeredBy);
    }

    /** A call the engine holds: its spec and resource, changed only on the call's serial event thread. */
    private static final class Live {
        final String id;
        final Instant dispatchedAt; // this dispatch's stamp: only it may mark the call dialing
        final CallSpec spec;
        final CallResource resource;
        volatile Call call;
        volatile boolean hangupRequested; // guarded by this, with givenBack
        boolean givenBack; // the engine gave the call back undialled: a hangup now goes to the store, not the engine
        volatile CallStore.Dialing refused; // the store said not to dial it (adopted elsewhere, its campaign paused)

        Live(String id, Instant dispatchedAt, CallSpec spec, CallResource resource) {
            this.id = id;
            this.dispatchedAt = dispatchedAt;
            this.spec = spec;
            this.resource = resource;
        }
    }

    public CallDispatcher(CallStore store, Engine engine, java.nio.file.Path prompts, java.nio.file.Path recordings,
                          int feedWindow, Runnable eventsAppended, Outcomes outcomes, Clock clock) {
        this.outcomes = outcomes;
        this.store = store;
        this.engine = engine;
        this.media = new MediaRequests(prompts, recordings, engine.media() != null);
        this.feedWindow = feedWindow;
        this.eventsAppended = eventsAppended;
        this.clock = clock;
        this.feeder = new Thread(this::feed, "service-feeder");
        feeder.setDaemon(true);
    }

    /**
     * Ends, with the restart reason and their completed event, the calls that were in flight when the process last
     * stopped. Run once, before {@link #start()}.
     */
    public int recover() {
        return recover(store.dispatchedUnended());
    }

    /** Recovers these calls, adopted from a node that stopped heartbeating, by the same rules. */
    public int recover(java.util.Collection<String> adopted) {
        List<StoredCall> calls = new ArrayList<>();
        for (String id : adopted) store.get(id).filter(c -> !c.ended() && c.dispatchedAt() != null).ifPresent(calls::add);
        return recover(calls);
    }

    private int recover(List<StoredCall> calls) {
        List<StoredCall> lost = new ArrayList<>();
        Instant now = clock.instant();
        for (StoredCall c : calls) {
            if (live.containsKey(c.id())) continue; // never this process's own call in flight
            if (c.status().equals(CallStatus.QUEUED) || c.status().equals(CallStatus.SCHEDULED)) {
                store.requeue(c.id(), c.status(), c.resource()); // handed to the engine, but its INVITE never started
                continue;
            }
            lost.add(c);
            CallResource r = CallResource.read(c.resource()).endedHere(CallStatus.FAILED, RESTARTED, "local", now);
            store.update(c.id(), CallStatus.FAILED, r.json(), true, List.of(event(c, "completed", r.completedEvent(now))));
            outcomes.ended(CallStatus.FAILED);
        }
        if (!lost.isEmpty()) {
            log.warn("{} calls were in flight when the service last stopped; ended as failed: {}", lost.size(), RESTARTED);
            eventsAppended.run();
        }
        return lost.size();
    }

    public void start() {
        feeder.start();
    }

    /** Holds dispatching until {@code ready} says this node may dial. */
    public void holdUntil(java.util.function.BooleanSupplier ready) {
        this.ready = ready;
    }

    /** New calls were accepted: look at the store now rather than at the next poll. */
    public void wake() {
        LockSupport.unpark(feeder);
    }

    /** Calls the engine holds now (queued in it, dialling, ringing, in progress). */
    public int live() { return live.size(); }

    private void feed() {
        long nextSweep = 0, nextPurge = 0;
        while (running) {
            try {
                long nowNanos = System.nanoTime();
                if (nowNanos - nextSweep >= 0) {
                    expireOverdue();
                    hangupsAskedElsewhere();
                    nextSweep = nowNanos + 1_000_000_000L;
                }
                if (nowNanos - nextPurge >= 0) { // idempotency keys are kept a day, as hosted APIs keep them
                    store.purgeIdempotencyKeys(clock.instant().minus(IDEMPOTENCY_KEPT));
                    nextPurge = nowNanos + 3_600_000_000_000L;
                }
                int room = feedWindow - engine.queued();
                if (room <= 0 || nowNanos - backOffUntilNanos < 0 || !ready.getAsBoolean()) {
                    backlog = true;
                    LockSupport.parkNanos(this, 5_000_000L);
                    continue;
                }
                int ask = Math.min(room, 500);
                List<StoredCall> due = store.claimDue(clock.instant(), ask);
                backlog = due.size() == ask;
                for (StoredCall c : due) dispatchOrRequeue(c, null, null);
                if (due.isEmpty()) LockSupport.parkNanos(this, 50_000_000L);
            } catch (RuntimeException e) {
                log.error("dispatch pass failed; retrying in 1 s: {}", e.toString());
                LockSupport.parkNanos(this, 1_000_000_000L);
            }
        }
    }

    /** Hangs up the calls this node holds whose hangup the API took on another node. */
    private void hangupsAskedElsewhere() {
        for (String id : store.hangupsRequested()) {
            Live l = live.get(id);
            if (l != null) signal(l);
        }
    }

    /** Asks the engine to end a live call; false when the engine had already given it back to the store. */
    private boolean signal(Live l) {
        Call c;
        synchronized (l) {
            if (l.givenBack) return false;
            l.hangupRequested = true;
            c = l.call;
        }
        if (c != null) c.hangup();
        return true;
    }

    private void expireOverdue() {
        Instant now = clock.instant();
        List<StoredCall> expired = store.expireOverdue(now, 1000, new CallStore.CallEnding() {
            private final Map<String, CallResource> ended = new java.util.HashMap<>(); // one resource per call for both

            private CallResource ended(StoredCall c) {
                return ended.computeIfAbsent(c.id(), id -> CallResource.read(c.resource())
                        .endedHere(CallStatus.EXPIRED, "not started before schedule.latest_at", null, now));
            }

            @Override
            public String resource(StoredCall c) {
                return ended(c).json();
            }

            @Override
            public List<NewEvent> events(StoredCall c) {
                return List.of(event(c, "completed", ended(c).completedEvent(now)));
            }
        });
        expired.forEach(c -> outcomes.ended(CallStatus.EXPIRED));
        if (!expired.isEmpty()) eventsAppended.run();
    }

    /**
     * Whether a call accepted now may go straight to the engine from the accepting thread: no older call waits in
     * the store (order is kept) and the engine has room. Saves the claim's transaction and the feeder's hop.
     */
    public boolean canTakeDirectly() {
        return running && !backlog && engine.queued() < feedWindow / 2 && ready.getAsBoolean();
    }

    /** Whether a call may stream to this assistant URL (the number of distinct assistant URLs is bounded). */
    public boolean canStreamTo(String assistantUrl) {
        return media.canStreamTo(assistantUrl);
    }

    /**
     * Hands over a call whose insert committed it as dispatched ({@link #canTakeDirectly}), with the spec and
     * resource the API has just built for it, so they are not parsed again from their stored JSON.
     */
    public void dispatchAccepted(StoredCall c, CallSpec spec, CallResource resource) {
        dispatchOrRequeue(c, spec, resource);
    }

    /** One call's failure (a store that failed a write) must not strand it, nor the rest of its batch, as dispatched. */
    private void dispatchOrRequeue(StoredCall c, CallSpec spec, CallResource resource) {
        try {
            dispatch(c, spec, resource);
        } catch (RuntimeException e) {
            log.error("handing call {} to the engine failed; it waits in the store again: {}", c.id(), e.toString());
            if (live.get(c.id()) instanceof Live l && l.call != null) return; // the engine has it; its end is journalled
            live.remove(c.id());
            try {
                store.requeue(c.id(), c.status(), c.resource());
            } catch (RuntimeException again) {
                log.error("requeueing call {} failed too; it is recovered at the next start: {}", c.id(), again.toString());
            }
        }
    }

    /** Hands one claimed call to the engine; {@code parsed} and {@code built} are null when read back from the store. */
    private void dispatch(StoredCall c, CallSpec parsed, CallResource built) {
        CallResource resource = built != null ? built : CallResource.read(c.resource());
        Live l = null;
        try {
            CallSpec spec = parsed != null ? parsed : CallSpec.stored(CallResource.JSON.readTree(c.request()));
            l = new Live(c.id(), c.dispatchedAt(), spec, resource);
            live.put(c.id(), l); // replaces a stale entry of an earlier dispatch (this node was taken for dead), refused at its INVITE
            var request = media.request(spec, c.id());
            if (spec.text("record") != null) resource.put("recording", media.recordingPath(c.id()).toString());
            l.call = engine.dial(request, listener(l), spec.notAfter());
        } catch (Exception e) { // the engine refused it (a trunk removed since, media it cannot carry): it ends here
            if (l != null) live.remove(c.id(), l);
            Instant now = clock.instant();
            resource.endedHere(CallStatus.FAILED, String.valueOf(e.getMessage()), "local", now);
            store.update(c.id(), CallStatus.FAILED, resource.json(), true, List.of(event(c, "completed", resource.completedEvent(now))));
            outcomes.ended(CallStatus.FAILED);
            eventsAppended.run();
            return;
        }
        if (l.hangupRequested) l.call.hangup(); // the API asked while we were handing it over
    }

    private CallListener listener(Live l) {
        return new CallListener() {
            @Override
            public void beforeFirstInvite(Call call) {
                // committed before the INVITE exists: after a crash, a call marked dialing was (or may have been)
                // sent and is never sent again; one still marked waiting was not, and is dialled once. Refused when
                // another node has adopted the call, or its campaign was paused: then it is not sent (the throw)
                CallStore.Dialing d = store.markDialing(l.id, l.dispatchedAt, l.resource.status(CallStatus.DIALING).started(clock.instant()).json());
                if (d != CallStore.Dialing.OK) {
                    l.refused = d;
                    throw new IllegalStateException("not dialled: " + d);
                }
                outcomes.started();
            }

            @Override
            public void onStateChanged(Call call, CallState state) {
                Instant now = clock.instant();
                switch (state) {
                    case RINGING -> journal(l, l.resource.status(CallStatus.RINGING), "ringing", now);
                    case IN_PROGRESS -> journal(l, l.resource.status(CallStatus.IN_PROGRESS).answered(now), "answered", now);
                    default -> { }
                }
            }

            @Override
            public void onMachineDetection(Call call, AmdResult result) {
                Instant now = clock.instant();
                boolean revision = l.resource.node().hasNonNull("answered_by"); // a beep after the verdict revised it
                l.resource.machineDetection(result);
                var e = l.resource.event(now);
                e.put("answered_by", l.resource.node().path("answered_by").asText());
                if (!revision) outcomes.amdVerdict(l.resource.node().path("answered_by").asText()); // one verdict per call in the metrics
                e.set("machine_detection", l.resource.node().path("machine_detection_result"));
                journalEvent(l, "machine_detection", e);
            }

            @Override
            public void onDtmf(Call call, char digit, int durationMs) {
                Instant now = clock.instant();
                l.resource.digit(digit);
                var e = l.resource.event(now);
                e.put("digit", String.valueOf(digit));
                e.put("duration_ms", durationMs);
                journalEvent(l, "dtmf", e);
            }

            @Override
            public void onEnded(Call call, CallRecord record) {
                ended(l, record);
            }
        };
    }

    private void ended(Live l, CallRecord record) {
        if (l.refused != null) {
            refused(l);
            return;
        }
        Instant now = clock.instant();
        boolean neverSent = record.inviteSent() == null;
        boolean givenBack;
        synchronized (l) { // against hangup(): either it saw the call live and asked, or it will find it in the store
            givenBack = neverSent && !l.hangupRequested
                    && (record.reason() == EndReason.RATE_LIMITED || record.reason() == EndReason.CANCELED && stopping);
            l.givenBack = givenBack;
        }
        try {
            if (givenBack) {
                // the engine stopped, or its queue was full, before it dialled: the call waits in the store again
                if (record.reason() == EndReason.RATE_LIMITED) backOffUntilNanos = System.nanoTime() + 100_000_000L;
                String status = l.spec.notBefore() != null && l.spec.notBefore().isAfter(now) ? CallStatus.SCHEDULED : CallStatus.QUEUED;
                store.requeue(l.id, status, l.resource.status(status).json());
                return;
            }
            String hangupBy = l.hangupRequested ? "api" : record.endedBy();
            l.resource.ended(record, hangupBy);
            if (stopping && !l.hangupRequested && "local".equals(record.endedBy())) {
                l.resource.put("reason", record.answered() != null ? "service stopped: the drain time ran out" : "service stopped before it was answered");
            }
            store.update(l.id, l.resource.status(), l.resource.json(), true, events(l, "completed", l.resource.completedEvent(now)));
            outcomes.ended(l.resource.status());
            eventsAppended.run();
        } finally {
            live.remove(l.id, l); // even when the journal failed: the engine holds the call no more
        }
    }

    /** A call the store said not to dial: given back (paused campaign), ended (cancelled one), or left (adopted). */
    private void refused(Live l) {
        boolean giveBack;
        synchronized (l) { // as in ended(): a hangup either reached the call here, or will find it in the store
            giveBack = l.refused == CallStore.Dialing.CAMPAIGN_PAUSED && !l.hangupRequested;
            l.givenBack = giveBack;
        }
        try {
            CallStore.Dialing why = giveBack ? l.refused : l.refused == CallStore.Dialing.NOT_OURS ? l.refused : CallStore.Dialing.CAMPAIGN_ENDED;
            switch (why) {
                case CAMPAIGN_PAUSED -> store.requeue(l.id, CallStatus.QUEUED, l.resource.status(CallStatus.QUEUED).json());
                case CAMPAIGN_ENDED -> {
                    Instant now = clock.instant();
                    boolean api = l.hangupRequested;
                    l.resource.endedHere(CallStatus.CANCELED, api ? "cancelled by the API before it was dialled" : "campaign cancelled before it was dialled",
                            api ? "api" : "local", now);
                    store.update(l.id, CallStatus.CANCELED, l.resource.json(), true, events(l, "completed", l.resource.completedEvent(now)));
                    outcomes.ended(CallStatus.CANCELED);
                    eventsAppended.run();
                }
                default -> log.warn("call {} was adopted by another node; this one leaves it", l.id);
            }
        } finally {
            live.remove(l.id, l);
        }
    }

    private void journal(Live l, CallResource r, String eventType, Instant now) {
        List<NewEvent> events = eventType == null ? List.of() : events(l, eventType, r.event(now));
        store.update(l.id, r.status(), r.json(), false, events);
        if (!events.isEmpty()) eventsAppended.run();
    }

    private void journalEvent(Live l, String type, com.fasterxml.jackson.databind.node.ObjectNode payload) {
        store.update(l.id, l.resource.status(), l.resource.json(), false, events(l, type, payload));
        eventsAppended.run();
    }

    /** The event for the call's webhook; every event is stored, delivered or not, for GET …/events. */
    private static List<NewEvent> events(Live l, String type, com.fasterxml.jackson.databind.node.ObjectNode payload) {
        return List.of(new NewEvent(type, payload.toString(), l.spec.webhookFor(type)));
    }

    private static NewEvent event(StoredCall c, String type, com.fasterxml.jackson.databind.node.ObjectNode payload) {
        String url;
        try {
            url = CallSpec.stored(CallResource.JSON.readTree(c.request())).webhookFor(type);
        } catch (java.io.IOException e) {
            url = null;
        }
        return new NewEvent(type, payload.toString(), url);
    }

    /** What a hangup request did. */
    public enum Hangup { NOT_FOUND, ALREADY_ENDED, ENDED_WAITING, SIGNALLED }

    /**
     * Ends a call in any state: a waiting (queued, scheduled) call is cancelled in the store; a call the engine holds
     * is taken out of its queue, CANCELled while ringing or BYEd once answered.
     */
    public Hangup hangup(String id) {
        for (int tries = 0; tries < 50; tries++) {
            Live l = live.get(id);
            if (l != null) {
                if (signal(l)) return Hangup.SIGNALLED;
                LockSupport.parkNanos(2_000_000L); // being put back in the store: cancel it there once it is
                continue;
            }
            Optional<StoredCall> stored = store.get(id);
            if (stored.isEmpty()) return Hangup.NOT_FOUND;
            StoredCall s = stored.get();
            if (s.ended()) return Hangup.ALREADY_ENDED;
            if (s.dispatchedAt() == null) {
                Instant now = clock.instant();
                CallResource r = CallResource.read(s.resource()).endedHere(CallStatus.CANCELED, "cancelled by the API before it was dialled", "api", now);
                if (store.endUndispatched(id, CallStatus.CANCELED, r.json(), List.of(event(s, "completed", r.completedEvent(now))))) {
                    outcomes.ended(CallStatus.CANCELED);
                    eventsAppended.run();
                    return Hangup.ENDED_WAITING;
                }
            }
            // held by another node: it hangs up when it next looks (within a second)
            if (store.requestHangup(id)) return Hangup.SIGNALLED;
            // claimed here a moment ago and not yet handed to the engine: look again
            LockSupport.parkNanos(2_000_000L);
        }
        return Hangup.SIGNALLED;
    }

    /** Ends a call still waiting in the store (not dispatched) with {@code reason}; false when it was not waiting. */
    public boolean cancelWaiting(String id, String reason) {
        Optional<StoredCall> stored = store.get(id);
        if (stored.isEmpty() || stored.get().ended() || stored.get().dispatchedAt() != null) return false;
        StoredCall s = stored.get();
        Instant now = clock.instant();
        CallResource r = CallResource.read(s.resource()).endedHere(CallStatus.CANCELED, reason, "local", now);
        if (!store.endUndispatched(id, CallStatus.CANCELED, r.json(), List.of(event(s, "completed", r.completedEvent(now))))) return false;
        outcomes.ended(CallStatus.CANCELED);
        eventsAppended.run();
        return true;
    }

    /**
     * Stops dispatching; the engine then drains: calls in progress get {@code drain} to end by themselves and are
     * then ended with a reason; calls it had not dialled yet go back to the store and are dialled after a restart.
     */
    public void stop(Duration drain) throws InterruptedException {
        stopping = true;
        running = false;
        LockSupport.unpark(feeder);
        feeder.join(5000);
        engine.stop(drain);
        media.close();
    }

    @Override
    public void close() throws InterruptedException {
        stop(Duration.ZERO);
    }

    /** For tests and metrics: the ids of calls the engine holds. */
    public List<String> liveIds() { return new ArrayList<>(live.keySet()); }
}
