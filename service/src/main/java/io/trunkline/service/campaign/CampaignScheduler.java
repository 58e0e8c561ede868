package io.trunkline.service.campaign;

import io.trunkline.service.store.Campaign;
import io.trunkline.service.store.JdbcCampaignStore;
import io.trunkline.service.store.JdbcCampaignStore.Plan;
import io.trunkline.service.store.NewCall;
import io.trunkline.service.store.NewEvent;
import io.trunkline.service.store.Recipient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntSupplier;

/**
 * Feeds the dial edge from the campaigns: every round (100 ms, or at once when woken), for each campaign, it
 * settles the recipients whose calls have ended (retry or final), then turns due recipients into queued calls, as
 * many as the campaign's concurrency, its rate and the abandoned-call throttle allow, inside each recipient's
 * window. The calls then go the way of every API call (the dispatcher, the store's crash rules, webhooks).
 *
 * <p>The cost of a round does not grow with the list: each recipient carries the instant it is next due (its
 * window's opening, a retry's time), and a round reads only the due ones, soonest first, through an index.
 * Time is the clock it is given, so tests move it across days and windows without waiting.
 */
public final class CampaignScheduler implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(CampaignScheduler.class);
    private static final long ROUND_NANOS = 100_000_000L;
    private static final int MAX_PER_ROUND = 500;

    /** What the scheduler needs from the API layer: a campaign's rules, its calls, its events. */
    public interface Calls {
        CampaignRules rules(Campaign c);

        /** A queued call for this recipient now, never started after {@code notAfter}. */
        NewCall call(Campaign c, Recipient r, Instant now, Instant notAfter);

        /** The webhook event of a campaign's change of status. */
        NewEvent event(Campaign c, String type, String status, Instant now);
    }

    private final JdbcCampaignStore store;
    private final Calls calls;
    private final Clock clock;
    private final IntSupplier nodes;
    private final Runnable callsQueued;
    private final Runnable eventsAppended;
    private final Thread thread;
    private final Map<String, State> states = new ConcurrentHashMap<>();
    private final Map<String, List<ZoneId>> zones = new HashMap<>(); // scheduler thread only
    private volatile boolean running = true;
    private volatile List<Campaign> campaigns = List.of();
    private long nextRefresh;
    private volatile boolean refreshNow = true;

    /** Per-campaign figures the scheduler keeps between rounds. */
    private static final class State {
        final RateBudget budget;
        double abandonedPercent;
        boolean throttled;
        int concurrencyNow;
        long nextAbandonmentCheck;
        long nextCompletionCheck;

        State(double rate, long now) {
            budget = new RateBudget(rate, now);
        }
    }

    /**
     * @param nodes how many dialer nodes share the campaigns now: each releases its share of a campaign's rate
     */
    public CampaignScheduler(JdbcCampaignStore store, Calls calls, Clock clock, IntSupplier nodes, Runnable callsQueued, Runnable eventsAppended) {
        this.store = store;
        this.calls = calls;
        this.clock = clock;
        this.nodes = nodes;
        this.callsQueued = callsQueued;
        this.eventsAppended = eventsAppended;
        this.thread = new Thread(this::run, "campaign-scheduler");
        thread.setDaemon(true);
    }

    public void start() {
        thread.start();
    }

    /** A campaign was created or changed: look again now. */
    public void wake() {
        refreshNow = true;
        LockSupport.unpark(thread);
    }

    /** Whether the abandoned-call rate has throttled this campaign, its rate then, and its concurrency now. */
    public record Throttle(boolean throttled, double abandonedPercent, int concurrency) {}

    public Throttle throttle(String campaignId) {
        State s = states.get(campaignId);
        return s == null ? new Throttle(false, 0, -1) : new Throttle(s.throttled, s.abandonedPercent, s.concurrencyNow);
    }

    private void run() {
        while (running) {
            long started = System.nanoTime();
            try {
                round(started);
            } catch (RuntimeException e) {
                log.error("campaign round failed; again in 1 s: {}", e.toString());
                LockSupport.parkNanos(this, 1_000_000_000L);
                continue;
            }
            long left = ROUND_NANOS - (System.nanoTime() - started);
            if (left > 0) LockSupport.parkNanos(this, left);
        }
    }

    /** One round over every campaign; public for tests that drive the scheduler on a clock of their own. */
    public void round(long nowNanos) {
        if (refreshNow || nowNanos - nextRefresh >= 0) {
            refreshNow = false;
            campaigns = store.active(clock.instant().minus(Duration.ofDays(1)));
            nextRefresh = nowNanos + 1_000_000_000L;
            states.keySet().retainAll(campaigns.stream().map(Campaign::id).toList());
        }
        boolean queued = false;
        for (Campaign c : campaigns) {
            try {
                queued |= campaign(c, nowNanos);
            } catch (RuntimeException e) {
                log.error("campaign {}: round failed: {}", c.id(), e.toString());
            }
        }
        if (queued) callsQueued.run();
    }

    private boolean campaign(Campaign c, long nowNanos) {
        Instant now = clock.instant();
        CampaignRules rules = calls.rules(c);
        State s = states.computeIfAbsent(c.id(), id -> new State(rules.cps(), nowNanos));
        boolean cancelled = c.status().equals(Campaign.CANCELLED);
        Settling settling = new Settling(rules.retry(), rules.window(), rules.endAt(), cancelled);
        int settled = store.settle(c.id(), MAX_PER_ROUND, e -> settling.settle(e, now));
        if (c.status().equals(Campaign.SCHEDULED)) {
            if (rules.startAt() != null && now.isBefore(rules.startAt())) return false;
            if (store.transition(c.id(), Set.of(Campaign.SCHEDULED), Campaign.RUNNING, now, calls.event(c, "campaign.started", Campaign.RUNNING, now))) {
                eventsAppended.run();
                refreshNow = true;
            }
            return false;
        }
        if (!c.status().equals(Campaign.RUNNING)) return false;
        boolean ending = rules.endAt() != null && !now.isBefore(rules.endAt());
        if (ending) store.endPending(c.id(), "the campaign's end_at passed");

        if (settled > 0 || nowNanos - s.nextAbandonmentCheck >= 0) { // the rate moves only when calls settle
            long[] ab = store.abandonment(c.id(), now);
            s.abandonedPercent = ab[0] == 0 ? 0 : 100.0 * ab[1] / ab[0];
            s.nextAbandonmentCheck = nowNanos + 2_000_000_000L;
        }
        s.concurrencyNow = throttled(rules.concurrency(), s.abandonedPercent, rules.abandonmentCapPercent());
        s.throttled = s.concurrencyNow < rules.concurrency();
        s.budget.rate(Math.max(0.1, (double) rules.cps() / Math.max(1, nodes.getAsInt())));

        JdbcCampaignStore.Claimed claimed = new JdbcCampaignStore.Claimed(0, 0);
        int tokens = ending ? 0 : Math.min(MAX_PER_ROUND, s.budget.available(nowNanos));
        if (tokens > 0) {
            int concurrency = s.concurrencyNow;
            claimed = store.claim(c.id(), now, new JdbcCampaignStore.Planner() {
                @Override
                public int room(int calling) {
                    return Math.min(concurrency - calling, tokens);
                }

                @Override
                public Plan plan(Recipient r, boolean onDncList) {
                    return CampaignScheduler.this.plan(c, rules, r, onDncList, now);
                }
            });
            s.budget.take(claimed.dialled());
        }
        if (settled == 0 && claimed.dialled() == 0 && nowNanos - s.nextCompletionCheck >= 0) {
            s.nextCompletionCheck = nowNanos + 1_000_000_000L;
            if (!store.hasOpenWork(c.id())
                    && store.transition(c.id(), Set.of(Campaign.RUNNING), Campaign.COMPLETED, now, calls.event(c, "campaign.completed", Campaign.COMPLETED, now))) {
                log.info("campaign {} ({}) completed", c.id(), c.name());
                eventsAppended.run();
                refreshNow = true;
            }
        }
        return claimed.dialled() > 0;
    }

    private Plan plan(Campaign c, CampaignRules rules, Recipient r, boolean onDncList, Instant now) {
        if (onDncList) return new Plan.Never(Recipient.DNC, "on the do-not-call list at dial time");
        List<ZoneId> z = zones.computeIfAbsent(r.zones(), RecipientImporter::zoneIds);
        if (zones.size() > 10_000) zones.clear();
        if (!rules.window().isOpen(now, z)) {
            Instant next = rules.window().nextOpen(now, z);
            if (next == null || rules.endAt() != null && !next.isBefore(rules.endAt())) {
                return new Plan.Never(Recipient.CANCELLED, "no calling window left before the campaign's end");
            }
            return new Plan.Later(next);
        }
        Instant notAfter = rules.window().closesAt(now, z);
        if (rules.endAt() != null && rules.endAt().isBefore(notAfter)) notAfter = rules.endAt();
        try {
            return new Plan.Dial(calls.call(c, r, now, notAfter));
        } catch (RuntimeException e) { // a recipient whose variables make a call the engine cannot take
            return new Plan.Never(Recipient.FAILED, "its call was refused: " + e.getMessage());
        }
    }

    /**
     * The concurrency the abandoned-call rate allows: all of it below 80 % of the cap; from there down in step to
     * one call at the cap, and one call at a time above it, until the 30-day rate falls back.
     */
    static int throttled(int concurrency, double abandonedPercent, double capPercent) {
        if (capPercent <= 0) return concurrency; // the operator turned the throttle off; the rate is still measured
        double from = 0.8 * capPercent;
        if (abandonedPercent < from) return concurrency;
        if (abandonedPercent >= capPercent) return 1;
        double left = (capPercent - abandonedPercent) / (capPercent - from);
        return Math.max(1, (int) Math.floor(concurrency * left));
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        LockSupport.unpark(thread);
        thread.join(5000);
    }
}
