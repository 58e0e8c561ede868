package io.trunkline.engine;

import io.trunkline.engine.media.CallMedia;
import io.trunkline.sip.sdp.SdpOffer;
import io.trunkline.sip.transport.TransportType;
import io.trunkline.sip.ua.CallEnd;
import io.trunkline.sip.ua.CallOutcome;
import io.trunkline.sip.ua.DialRequest;
import io.trunkline.sip.ua.IdentityProvider;
import io.trunkline.sip.ua.OutboundCall;
import io.trunkline.sip.ua.SipUserAgent;
import io.trunkline.sip.ua.UserAgentConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The embedded engine: a bounded, priority-then-FIFO queue in front of a dial edge that paces every trunk under its
 * CPS cap (and a global one), respects concurrency limits, backs off on carrier 503s and fails over on 5xx, timeouts
 * and transport errors. One dispatcher thread makes every start decision, so limits are never raced.
 */
public final class Engine implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Engine.class);

    private final EngineConfig config;
    private final SipUserAgent ua;
    private final List<TrunkState> trunks = new ArrayList<>();
    private final Map<String, TrunkState> trunksByName = new ConcurrentHashMap<>();
    private final PacedLimiter globalLimiter;
    private final CallerIdLimits callerLimits;
    private final CountryRates countryRates;
    /** How deep the dispatcher looks past a head whose caller ID is at its limit. */
    private static final int CALLER_SCAN = 64;
    private final PriorityQueue<Call> queue = new PriorityQueue<>(
            Comparator.comparingInt((Call c) -> -c.request.priority()).thenComparingLong(c -> c.seq));
    private final Set<Call> live = ConcurrentHashMap.newKeySet();
    private final AtomicLong sequence = new AtomicLong();
    private final ExecutorService events = Executors.newFixedThreadPool(2, r -> {
        Thread t = new Thread(r, "engine-events");
        t.setDaemon(true);
        return t;
    });
    private final Thread dispatcher;
    private final String sdp;
    private final String localAddress;
    // media: null for a signalling-only engine
    private final io.trunkline.media.MediaEngine media;
    private final io.trunkline.media.codec.CodecRegistry codecs = io.trunkline.media.codec.CodecRegistry.standard();
    private final io.trunkline.engine.media.Prompts prompts = new io.trunkline.engine.media.Prompts();
    private final io.trunkline.media.record.RecordingWriter recordings;
    private final java.util.concurrent.ScheduledExecutorService mediaTimers;
    private volatile boolean accepting = true;
    private volatile boolean running = true;

    private Engine(EngineConfig config) throws InterruptedException {
        this.config = config;
        this.ua = SipUserAgent.start(new UserAgentConfig(config.listen(), config.timers(), "Trunkline/0.1"));
        for (TrunkConfig t : config.trunks()) {
            TrunkState s = new TrunkState(t);
            trunks.add(s);
            trunksByName.put(t.name(), s);
        }
        trunks.sort(Comparator.comparingInt(s -> s.config.priority()));
        this.globalLimiter = config.globalCps() > 0 ? new PacedLimiter(config.globalCps()) : null;
        this.callerLimits = config.callerIdCps() > 0 ? new CallerIdLimits(config.callerIdCps()) : null;
        this.countryRates = new CountryRates(config.destinations());
        this.localAddress = ua.localAddress(TransportType.UDP).getAddress().getHostAddress();
        this.sdp = SdpOffer.audio(localAddress, 40_000); // signalling-only engines: an offer nobody listens behind
        this.media = config.media() == null ? null : new io.trunkline.media.MediaEngine(config.media());
        this.recordings = media == null ? null : new io.trunkline.media.record.RecordingWriter();
        this.mediaTimers = media == null ? null : Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "engine-media");
            t.setDaemon(true);
            return t;
        });
        this.dispatcher = new Thread(this::dispatchLoop, "dial-edge");
        dispatcher.setDaemon(true);
        dispatcher.start();
    }

    public static Engine start(EngineConfig config) throws InterruptedException {
        return new Engine(config);
    }

    public SipUserAgent userAgent() { return ua; }

    /** The media engine (ports, sessions, counters), or null when the engine carries no audio. */
    public io.trunkline.media.MediaEngine media() { return media; }

    /** Calls waiting in the queue. */
    public int queued() {
        synchronized (queue) {
            return queue.size();
        }
    }

    /** Calls dialling, ringing or in progress. */
    public int live() { return live.size(); }

    /** The current (possibly backed-off) CPS of a trunk. */
    public int trunkRate(String name) { return trunksByName.get(name).limiter.rate(); }

    public long trunkBackPressureEvents(String name) { return trunksByName.get(name).backPressure.sum(); }

    /**
     * Sets this engine's share of a trunk's configured CPS (1..cps). Several dialer processes on one trunk each take
     * a share, so the carrier sees at most the configured rate from all of them together.
     */
    public void setTrunkShare(String name, int cps) {
        TrunkState t = trunksByName.get(name);
        if (t == null) throw new IllegalArgumentException("trunk must be one of " + trunksByName.keySet() + ", got '" + name + "'");
        t.share(cps);
    }

    /** A trunk's figures now: its configured and current limits and what is in use. */
    public record TrunkStats(String name, int cps, int cpsNow, int startedLastSecond, int maxConcurrent, int calls, boolean down) {}

    public List<TrunkStats> trunkStats() {
        long now = System.nanoTime();
        List<TrunkStats> out = new ArrayList<>(trunks.size());
        for (TrunkState t : trunks) {
            out.add(new TrunkStats(t.config.name(), t.config.cps(), t.limiter.rate(), t.startedLastSecond(now),
                    t.config.maxConcurrent(), t.live.get(), t.down));
        }
        return out;
    }

    /**
     * Queues a call and returns its handle at once. The request was validated when it was built. A full queue or a
     * stopping engine gives a call that has already ended with {@code rate-limited}; so does a destination country
     * over its cap. A destination the policy refuses on every trunk gives a call already ended {@code failed},
     * its reason naming the rule. Nothing is sent for any of them.
     */
    public Call dial(CallRequest request, CallListener listener) {
        return dial(request, listener, null);
    }

    /**
     * Like {@link #dial(CallRequest, CallListener)}, with a deadline: a call still queued at {@code notAfter} is never
     * dialled late; it ends as {@code expired} instead. The check is made by the dispatcher at the moment it would
     * start the call, so no INVITE leaves after the deadline.
     */
    public Call dial(CallRequest request, CallListener listener, Instant notAfter) {
        validate(request);
        Call call = new Call(this, request, sequence.incrementAndGet(), listener, new SerialExecutor(events));
        if (notAfter != null) call.deadlineNanos = System.nanoTime() + Math.max(0, Duration.between(Instant.now(), notAfter).toNanos()) | 1;
        if (config.maxQueueWaitSeconds() > 0) call.queueDeadlineNanos = System.nanoTime() + TimeUnit.SECONDS.toNanos(config.maxQueueWaitSeconds()) | 1;
        String barred = barDestination(call);
        if (barred != null) {
            call.finish(record(call, EndReason.FAILED, 0, barred));
            return call;
        }
        String capped = countryRates.admit(call.destinationCountry, System.nanoTime());
        if (capped != null) {
            call.finish(record(call, EndReason.RATE_LIMITED, 0, capped));
            return call;
        }
        String refusal = null;
        synchronized (queue) {
            if (!accepting) refusal = "engine is stopping";
            else if (queue.size() >= config.queueCapacity()) refusal = "queue full (" + config.queueCapacity() + " calls waiting)";
            else queue.add(call);
        }
        if (refusal != null) call.finish(record(call, EndReason.RATE_LIMITED, 0, refusal));
        else LockSupport.unpark(dispatcher);
        return call;
    }

    /**
     * Refuses, with the message {@link #dial} would give, a request that no trunk of this engine can carry (an unknown
     * trunk, a caller ID no trunk accepts, an attestation no certificate allows), without queueing anything. A
     * service that accepts calls for later can check them when they arrive.
     */
    public void validate(CallRequest request) {
        if (request.trunk() != null && !trunksByName.containsKey(request.trunk())) {
            throw new IllegalArgumentException("trunk must be one of " + trunksByName.keySet() + ", got '" + request.trunk() + "'");
        }
        // the call's AMD settings must also hold together with the configured defaults they are laid over
        withAmdDefaults(request.media());
        if (trunks.stream().noneMatch(t -> eligible(t, request))) {
            // only now work out which refusal to give: the signing check builds an exception per trunk
            if (request.attestation() != null) requireSignable(request);
            throw new IllegalArgumentException("from: no trunk accepts caller ID " + request.from() + " (see trunks[].caller_ids)");
        }
    }

    /**
     * Applies the destination policy: bars the trunks whose rules refuse the callee, and returns the refusal of the
     * first (by priority) when no trunk the call could use is left, else null.
     */
    private String barDestination(Call call) {
        List<DestinationPolicy.Destination> readings = DestinationPolicy.destinations(call.request.to());
        call.destinationCountry = readings.isEmpty() ? null : readings.get(0).country();
        String first = null;
        boolean allowed = false;
        for (TrunkState t : trunks) {
            if (!eligible(t, call.request)) continue;
            String why = null;
            for (int i = 0; i < readings.size() && why == null; i++) why = config.destinations().refusal(readings.get(i), t.config.destinations());
            if (why == null) {
                allowed = true;
            } else {
                call.barredTrunks.add(t.config.name());
                if (first == null) first = why;
            }
        }
        return allowed ? null : first;
    }

    /** The names of the trunks, in priority order. */
    public List<String> trunkNames() {
        return trunks.stream().map(t -> t.config.name()).toList();
    }

    /**
     * A request that asks for an attestation level must be signable at that level on at least one trunk it may use;
     * otherwise it is refused here, before anything is queued or sent, with the first trunk's reason.
     */
    private void requireSignable(CallRequest request) {
        IllegalArgumentException first = null;
        for (TrunkState t : trunks) {
            if (request.trunk() != null && !request.trunk().equals(t.config.name())) continue;
            try {
                if (signing(t, request) != null) return;
            } catch (IllegalArgumentException e) {
                if (first == null) first = new IllegalArgumentException(e.getMessage() + " (trunk " + t.config.name() + ")");
            }
        }
        throw first != null ? first : new IllegalArgumentException("attestation: no trunk signs calls with STIR/SHAKEN");
    }

    private static IdentityProvider signing(TrunkState t, CallRequest r) {
        if (t.config.stir() == null) {
            if (r.attestation() == null) return null;
            throw new IllegalArgumentException("attestation: this trunk has no STIR/SHAKEN certificate");
        }
        return t.config.stir().identityFor(r.from(), r.attestation());
    }

    /**
     * Whether this trunk may carry the call at all: it is the trunk the request named (if any), its caller-ID rule
     * admits the number, and it can sign at the requested level. Checked by the dispatcher on every look at the
     * queue, so it never builds an exception.
     */
    private static boolean eligible(TrunkState t, CallRequest r) {
        if (r.trunk() != null && !r.trunk().equals(t.config.name())) return false;
        if (!t.config.accepts(r.from())) return false;
        return r.attestation() == null || t.config.stir() != null && t.config.stir().allows(r.from(), r.attestation());
    }

    public Call dial(CallRequest request) {
        return dial(request, null);
    }

    void hangup(Call call) {
        boolean removed;
        synchronized (queue) {
            removed = queue.remove(call);
        }
        if (removed) {
            call.finish(record(call, EndReason.CANCELED, 487, "cancelled while queued"));
            return;
        }
        OutboundCall sip = call.sip;
        if (sip != null) sip.hangup();
    }

    private void dispatchLoop() {
        while (running) {
            long now = System.nanoTime();
            for (TrunkState t : trunks) {
                t.settleSendTimes();
                t.recover(now);
                if (t.down && now - t.nextProbeNanos >= 0) probe(t, now);
            }
            Call next;
            synchronized (queue) {
                next = queue.peek();
            }
            if (next == null) {
                LockSupport.parkNanos(this, 100_000_000L);
                continue;
            }
            if (next.attempts == 0 && next.queueDeadlineNanos != 0 && now - next.queueDeadlineNanos > 0) {
                // waited its limit for a turn: refused with its reason now, rather than dialled late (overload)
                boolean removed;
                synchronized (queue) {
                    removed = queue.remove(next);
                }
                if (removed) next.finish(record(next, EndReason.FAILED, 0, "queue timeout: not started within limits.max_queue_wait_s ("
                        + config.maxQueueWaitSeconds() + " s)"));
                continue;
            }
            if (next.deadlineNanos != 0 && now - next.deadlineNanos > 0) { // past its deadline: out now, not when a trunk frees
                boolean removed;
                synchronized (queue) {
                    removed = queue.remove(next);
                }
                if (removed) next.finish(record(next, EndReason.EXPIRED, 0, "not started before its deadline"));
                continue;
            }
            if (config.globalConcurrency() > 0 && live.size() >= config.globalConcurrency()) {
                LockSupport.parkNanos(this, 1_000_000L);
                continue;
            }
            long globalWait = globalLimiter == null ? 0 : globalLimiter.waitNanos(now);
            if (globalWait > 0) { // before choosing, so the weighted round robin only moves for calls that launch
                LockSupport.parkNanos(this, Math.min(globalWait, 50_000_000L));
                continue;
            }
            boolean head = true;
            if (callerLimits != null) {
                long callerWait = callerLimits.waitNanos(next.request.from(), now);
                if (callerWait > 0) {
                    // the head's number is at its CPS: let a call from another number go instead of idling the trunk
                    Call other = firstWithCallerReady(now);
                    if (other == null) {
                        LockSupport.parkNanos(this, Math.min(callerWait, 50_000_000L));
                        continue;
                    }
                    next = other;
                    head = false;
                }
            }
            TrunkState trunk = chooseTrunk(next, now);
            if (trunk == null) {
                if (noTrunkLeft(next)) {
                    synchronized (queue) {
                        queue.remove(next);
                    }
                    // the engine's own refusal: its own reason, no SIP code, since no carrier sent one
                    next.finish(record(next, EndReason.FAILED, 0, "no trunk available: every trunk this call may use was tried" + downTrunks()));
                } else {
                    LockSupport.parkNanos(this, 1_000_000L); // every usable trunk is at its concurrency limit
                }
                continue;
            }
            long wait = trunk.limiter.waitNanos(now);
            if (wait > 0) {
                LockSupport.parkNanos(this, Math.min(wait, 50_000_000L));
                continue;
            }
            synchronized (queue) {
                if (head) {
                    if (queue.peek() != next) continue; // a higher-priority call arrived, or this one was cancelled
                    queue.poll();
                } else if (!queue.remove(next)) {
                    continue; // cancelled meanwhile
                }
            }
            if (next.deadlineNanos != 0 && now - next.deadlineNanos > 0) { // not started in time: never dialled late
                next.finish(record(next, EndReason.EXPIRED, 0, "not started before its deadline"));
                continue;
            }
            if (next.attempts == 0 && !next.beforeFirstInvite()) {
                next.finish(record(next, EndReason.FAILED, 0, "the listener refused to start the call"));
                continue;
            }
            long ticket = trunk.limiter.take(now);
            if (globalLimiter != null) globalLimiter.take(now);
            if (callerLimits != null) callerLimits.take(next.request.from(), now);
            launch(next, trunk);
            if (next.sip != null) trunk.unsent.add(new TrunkState.Unsent(next.sip, ticket));
        }
    }

    /**
     * The trunk for this call. Among usable trunks (named by the request or any; untried; up; below their
     * concurrency; able to sign as asked), the best priority tier with CPS available now wins, shared within the
     * tier by weight. When none has CPS available now, the one whose pacer frees soonest is returned and the
     * dispatcher waits for it: so a lower tier takes the overflow of a saturated higher one and no trunk's limit
     * sits unused while calls wait.
     */
    /** The first of the next {@link #CALLER_SCAN} queued calls, in queue order, whose caller ID may start now. */
    private Call firstWithCallerReady(long now) {
        synchronized (queue) {
            List<Call> looked = new ArrayList<>(CALLER_SCAN);
            Call found = null;
            while (found == null && looked.size() < CALLER_SCAN && !queue.isEmpty()) {
                Call c = queue.poll();
                looked.add(c);
                if (callerLimits.waitNanos(c.request.from(), now) == 0) found = c;
            }
            queue.addAll(looked); // all back, in their places: the caller removes the one it launches
            return found;
        }
    }

    private TrunkState chooseTrunk(Call call, long now) {
        TrunkState soonest = null;
        long soonestWait = Long.MAX_VALUE;
        int tier = -1;
        int tierWeight = 0;
        TrunkState pick = null;
        boolean anyUp = false;
        for (TrunkState t : trunks) { // sorted by priority
            if (!untried(t, call) || !eligible(t, call.request)) continue;
            if (!t.down) anyUp = true;
            else if (!t.trialDue(now)) continue; // down, and its half-open trial is not due: only a last resort
            if (!t.hasCapacity()) continue;
            long wait = t.limiter.waitNanos(now);
            if (wait > 0) {
                if (wait < soonestWait) {
                    soonest = t;
                    soonestWait = wait;
                }
                continue;
            }
            if (tier >= 0 && t.config.priority() != tier) continue;
            tier = t.config.priority();
            t.roundRobinCredit += t.config.weight();
            tierWeight += t.config.weight();
            if (pick == null || t.roundRobinCredit > pick.roundRobinCredit) pick = t;
        }
        if (pick == null) return soonest != null || anyUp ? soonest : leastBad(call);
        pick.roundRobinCredit -= tierWeight;
        return pick;
    }

    /**
     * Every trunk the call may use is down: rather than refuse every call, use the least bad, the one whose last
     * silent failure is oldest (the first by priority on a tie). At worst that is another failure, at best it brings
     * the trunk back.
     */
    private TrunkState leastBad(Call call) {
        TrunkState best = null;
        for (TrunkState t : trunks) {
            if (!untried(t, call) || !eligible(t, call.request) || !t.hasCapacity()) continue;
            if (best == null || t.failedLongerAgoThan(best)) best = t;
        }
        return best;
    }

    private boolean noTrunkLeft(Call call) {
        for (TrunkState t : trunks) {
            if (untried(t, call) && eligible(t, call.request)) return false; // down ones too: see leastBad
        }
        return true;
    }

    /** Not yet tried by this call, and not barred for it by the destination policy. */
    private static boolean untried(TrunkState t, Call call) {
        return !call.triedTrunks.contains(t.config.name()) && !call.barredTrunks.contains(t.config.name());
    }

    private void launch(Call call, TrunkState trunk) {
        if (trunk.down) trunk.trialStarted(System.nanoTime(), config.trunkHealth());
        call.trunk = trunk;
        call.attempts++;
        trunk.live.incrementAndGet();
        trunk.invites.increment();
        live.add(call);
        call.moveTo(CallState.DIALING);
        if (call.inviteSentAt == null) call.inviteSentAt = Instant.now();
        CallRequest r = call.request;
        if (media != null && call.media == null) call.media = openMedia(call);
        DialRequest dial = new DialRequest(trunk.config.target(), CallRequest.user(r.from()), r.callerName(), CallRequest.user(r.to()),
                call.media != null ? call.media.offerSdp() : sdp, List.of(), trunk.config.auth(), signing(trunk, r));
        call.sip = ua.dial(dial, new io.trunkline.sip.ua.CallListener() {
            @Override
            public void onTrying(OutboundCall c) {
                heard(trunk, "100 to an INVITE");
            }

            @Override
            public void onRinging(OutboundCall c, int status, String earlySdp) {
                heard(trunk, status + " to an INVITE");
                call.moveTo(CallState.RINGING);
                if (earlySdp != null && call.media != null) call.media.earlyMedia(earlySdp);
                if (r.hangupOnRingSeconds() > 0 && call.ringingAt != null) {
                    schedule(call, c, r.hangupOnRingSeconds(), () -> {
                        if (call.state == CallState.RINGING) {
                            call.forcedReason = EndReason.CANCELED;
                            c.cancel();
                        }
                    });
                }
            }

            @Override
            public void onAnswered(OutboundCall c, String answerSdp) {
                heard(trunk, "200 to an INVITE");
                call.moveTo(CallState.IN_PROGRESS);
                if (call.media != null) {
                    CallMedia m = call.media;
                    mediaTimers.execute(() -> m.answered(answerSdp)); // file and assistant work off the SIP thread
                }
                schedule(call, c, r.timeLimitSeconds(), () -> {
                    call.forcedReason = EndReason.TIME_LIMIT;
                    c.hangup();
                });
                if (call.cancelRequested) c.hangup();
            }

            @Override
            public void onEnded(OutboundCall c, CallEnd end) {
                onAttemptEnded(call, trunk, c, end);
            }
        });
        if (call.firstSip == null) call.firstSip = call.sip;
        schedule(call, call.sip, r.ringTimeoutSeconds(), () -> {
            if (call.state == CallState.DIALING || call.state == CallState.RINGING) {
                call.forcedReason = EndReason.NO_ANSWER;
                call.sip.cancel();
            }
        });
        if (call.cancelRequested) call.sip.cancel();
    }

    /** The request's AMD with the engine's configured defaults under the call's own settings. */
    private io.trunkline.engine.media.MediaRequest withAmdDefaults(io.trunkline.engine.media.MediaRequest m) {
        return m == null || m.amd() == null ? m : m.withAmd(m.amd().over(config.amd()));
    }

    /** The call's RTP session and offer; its events end the call through the SIP side. */
    private CallMedia openMedia(Call call) {
        return new CallMedia(media, codecs, prompts, recordings, mediaTimers, call.id(), call.request.from(), call.request.to(),
                localAddress, withAmdDefaults(call.request.media()), new CallMedia.Events() {
                    @Override
                    public void hangup(String reason) {
                        call.mediaEndReason = reason;
                        call.hangup();
                    }

                    @Override
                    public void failed(String reason) {
                        call.mediaEndReason = reason;
                        call.forcedReason = EndReason.FAILED;
                        OutboundCall sip = call.sip;
                        if (sip != null) sip.hangup();
                    }

                    @Override
                    public void dtmf(char digit, int durationMs) {
                        call.dtmf(digit, durationMs);
                    }

                    @Override
                    public void machineDetection(io.trunkline.amd.AmdResult result) {
                        call.machineDetection(result);
                    }

                    @Override
                    public void beep(io.trunkline.amd.beep.Beep beep, int atMs) {
                        call.beep = beep;
                    }

                    @Override
                    public void voicemail(String reason, boolean retryLater) {
                        call.mediaEndReason = reason;
                        call.retryLater = retryLater;
                        call.forcedReason = EndReason.VOICEMAIL;
                        OutboundCall sip = call.sip;
                        if (sip != null) sip.hangup();
                    }
                });
    }

    private void schedule(Call call, OutboundCall c, int seconds, Runnable action) {
        if (c.state() == OutboundCall.State.ENDED) return; // it ended before its timer was set: nothing to time
        call.addTimer(ua.transactions().schedule(c.owner(), TimeUnit.SECONDS.toMillis(seconds), () -> {
            if (c.state() != OutboundCall.State.ENDED) action.run();
        }));
    }

    private void onAttemptEnded(Call call, TrunkState trunk, OutboundCall c, CallEnd end) {
        call.cancelTimers();
        trunk.live.decrementAndGet();
        live.remove(call);
        if (end.remote()) heard(trunk, end.sipCode() + " to an INVITE");
        else if (end.trunkSilent()) silent(trunk, end.reason());
        else if (trunk.down) trunk.trialEnded();
        boolean answered = c.answeredNanos() > 0;
        if (!answered && !call.cancelRequested && call.forcedReason == null && call.attempts < config.maxAttempts() && running) {
            if (end.sipCode() == 503 && end.remote()) {
                // a carrier's 503 is back-pressure, not a dead trunk: slow this trunk down and retry, same trunk first
                long now = System.nanoTime();
                trunk.onBackPressure(now);
                trunk.pause(now, end.retryAfterSeconds()); // the carrier said when to come back
                requeue(call, CallState.QUEUED);
                return;
            }
            if (end.outcome() == CallOutcome.FAILED) {
                call.triedTrunks.add(trunk.config.name()); // 5xx, no response at all, or transport error: fail over
                if (!noTrunkLeft(call)) {
                    requeue(call, CallState.QUEUED);
                    return;
                }
            }
        }
        EndReason reason = call.forcedReason != null ? call.forcedReason
                : call.cancelRequested && !answered ? EndReason.CANCELED : EndReason.of(end.outcome());
        String why = call.mediaEndReason != null ? call.mediaEndReason : end.reason();
        if (reason == EndReason.NO_ANSWER && end.trunkSilent()) { // the ring timeout ran out on a trunk that never spoke
            reason = EndReason.FAILED;
            why = CallEnd.NO_RESPONSE;
        }
        call.finish(record(call, reason, end.sipCode(), why, end.remote() && call.mediaEndReason == null));
    }

    /**
     * A trunk that stayed silent (no response at all, or a refused connection) {@code trunk_health.failures} times
     * within the window goes out of rotation: calls fail over without trying it, it is probed with OPTIONS, and it
     * gets a real call now and then (half-open).
     */
    private void silent(TrunkState trunk, String why) {
        TrunkHealth h = config.trunkHealth();
        if (!trunk.onSilent(System.nanoTime(), h)) return;
        log.warn("trunk {} marked down: {} ({} silent failures within {} s); probing with OPTIONS every {} ms and trying a call every {} ms",
                trunk.config.name(), why, h.failures(), h.windowMs() / 1000, h.probeIntervalMs(), h.retryIntervalMs());
    }

    /** Any response from a trunk proves it alive, whatever its status (404 and 501 to OPTIONS included). */
    private void heard(TrunkState trunk, String what) {
        if (!trunk.onHeard()) return;
        log.info("trunk {} is back ({})", trunk.config.name(), what);
        LockSupport.unpark(dispatcher);
    }

    private void probe(TrunkState trunk, long now) {
        trunk.nextProbeNanos = now + config.trunkHealth().probeIntervalMs() * 1_000_000L;
        ua.probe(trunk.config.target()).thenAccept(status -> {
            if (status != 0) heard(trunk, "OPTIONS answered " + status);
        });
    }

    private String downTrunks() {
        List<String> down = new ArrayList<>();
        for (TrunkState t : trunks) if (t.down) down.add(t.config.name());
        return down.isEmpty() ? "" : " (down: " + String.join(", ", down) + ")";
    }

    /** Whether the trunk is out of rotation, waiting for any response to a probe or a trial call. */
    public boolean trunkDown(String name) { return trunksByName.get(name).down; }

    private void requeue(Call call, CallState state) {
        call.state = state;
        synchronized (queue) {
            queue.add(call);
        }
        LockSupport.unpark(dispatcher);
    }

    private CallRecord record(Call call, EndReason reason, int code, String sipReason) {
        return record(call, reason, code, sipReason, false);
    }

    private CallRecord record(Call call, EndReason reason, int code, String sipReason, boolean remote) {
        Instant ended = Instant.now();
        Instant firstProgress = call.ringingAt != null ? call.ringingAt : call.answeredAt;
        long pdd = call.inviteSentAt != null && firstProgress != null ? Duration.between(call.inviteSentAt, firstProgress).toMillis() : -1;
        long duration = call.answeredAt != null ? Duration.between(call.answeredAt, ended).toMillis() : 0;
        return new CallRecord(call.id(), call.request.from(), call.request.to(), call.trunk == null ? null : call.trunk.config.name(),
                reason, code, sipReason, call.queuedAt, call.inviteSentAt, call.ringingAt, call.answeredAt, ended, pdd, duration,
                call.attempts, call.request.metadata(), remote ? "remote" : "local", call.amd, call.beep, call.retryLater,
                call.media == null ? null : call.media.quality());
    }

    /**
     * Drains: refuses new calls, cancels what is still queued, CANCELs the calls not answered yet (nobody is on them:
     * a person who picks up after the stop would meet silence), gives answered calls {@code grace} to end by
     * themselves (or less, if {@link #hurry()} is called), then hangs them up and waits for them to finish before
     * closing the SIP stack. A second call waits for the first one's stop.
     */
    public void stop(Duration grace) throws InterruptedException {
        synchronized (stopLock) {
            if (stopped) return;
            accepting = false;
            List<Call> waiting;
            synchronized (queue) {
                waiting = new ArrayList<>(queue);
                queue.clear();
            }
            for (Call c : waiting) c.finish(record(c, EndReason.CANCELED, 487, "engine stopped before dialling"));
            long deadline = System.nanoTime() + grace.toNanos();
            do {
                cancelUnanswered(); // again each pass: a call taken by the dial edge a moment ago is live only now
                Thread.sleep(20);
            } while (!live.isEmpty() && System.nanoTime() < deadline && !hurried);
            shutDown();
            stopped = true;
        }
    }

    /** CANCELs each live call not answered yet, once (a call already asked to end is left to finish). */
    private void cancelUnanswered() {
        for (Call c : live) if (c.state != CallState.IN_PROGRESS && !c.cancelRequested) c.hangup();
    }

    /** Ends the grace of a {@link #stop} under way: its answered calls are hung up now (a second Ctrl-C). */
    public void hurry() {
        hurried = true;
    }

    private final Object stopLock = new Object();
    private volatile boolean hurried;
    private boolean stopped; // guarded by stopLock

    private void shutDown() throws InterruptedException {
        for (Call c : live) c.hangup();
        long hard = System.nanoTime() + TimeUnit.SECONDS.toNanos(35);
        while (!live.isEmpty() && System.nanoTime() < hard) Thread.sleep(20);
        running = false;
        LockSupport.unpark(dispatcher);
        dispatcher.join(2000);
        ua.close();
        if (media != null) {
            mediaTimers.shutdownNow();
            recordings.close();
            media.close();
        }
        events.shutdown();
        events.awaitTermination(2, TimeUnit.SECONDS);
        if (!live.isEmpty()) log.warn("{} calls still live when the engine closed", live.size());
    }

    @Override
    public void close() throws InterruptedException {
        stop(Duration.ZERO);
    }
}
