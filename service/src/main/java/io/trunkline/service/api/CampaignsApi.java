package io.trunkline.service.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.trunkline.service.campaign.CallingWindow;
import io.trunkline.service.campaign.CampaignScheduler;
import io.trunkline.service.campaign.PhoneNumbers;
import io.trunkline.service.campaign.RecipientImporter;
import io.trunkline.service.config.ApiKey;
import io.trunkline.service.dial.CallDispatcher;
import io.trunkline.service.store.Campaign;
import io.trunkline.service.store.JdbcCampaignStore;
import io.trunkline.service.store.Recipient;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The campaigns API (see CAMPAIGNS.md) and the do-not-call list, independent of the HTTP server like
 * {@link CallsApi}. Recipients are streamed into the store in batches as they are read.
 */
public final class CampaignsApi {
    private static final Set<String> LIST_PARAMS = Set.of("status", "limit", "cursor");

    private final JdbcCampaignStore store;
    private final CallsApi calls;
    private final CampaignCalls campaignCalls;
    private final CampaignScheduler scheduler;
    private final CallingWindow hours;
    private final int maxCps;
    private final Clock clock;
    private final CallDispatcher dispatcher;
    private final Runnable eventsAppended;

    public CampaignsApi(JdbcCampaignStore store, CallsApi calls, CallDispatcher dispatcher, CampaignScheduler scheduler,
                        CampaignScheduler.Calls campaignCalls, CallingWindow hours, int maxCps, Runnable eventsAppended, Clock clock) {
        this.dispatcher = dispatcher;
        this.eventsAppended = eventsAppended;
        this.store = store;
        this.calls = calls;
        this.campaignCalls = (CampaignCalls) campaignCalls;
        this.scheduler = scheduler;
        this.hours = hours;
        this.maxCps = maxCps;
        this.clock = clock;
    }

    /** The scheduler's view of campaigns, as this API builds them (for the service to wire). */
    public static CampaignScheduler.Calls callsFor(JdbcCampaignStore store, CallingWindow hours) {
        return new CampaignCalls(store, hours);
    }

    // ---- create and import ----

    /** POST /v1/campaigns with JSON (settings, optional recipients). */
    public ApiResponse create(ApiKey key, byte[] body) {
        JsonNode root = CallsApi.parseJson(body);
        JsonNode recipients = root.isObject() ? root.get("recipients") : null;
        if (recipients != null && !recipients.isNull() && !recipients.isArray()) throw ApiException.validation("recipients", "must be an array of {\"phone\": ...} objects");
        Created c = create(key, root);
        RecipientImporter.Result r = importer(c).json(recipients == null || recipients.isNull() ? CallsApi.JSON.createArrayNode() : recipients);
        return created(c, r);
    }

    /** POST /v1/campaigns as multipart/form-data: a {@code campaign} JSON part and a {@code recipients} CSV part. */
    public ApiResponse createWithCsv(ApiKey key, String settings, InputStream csv) throws IOException {
        if (settings == null) throw ApiException.validation("campaign", "the multipart body needs a campaign part (the settings as JSON)");
        JsonNode root = CallsApi.parseJson(settings.getBytes(StandardCharsets.UTF_8));
        if (root.has("recipients")) throw ApiException.validation("recipients", "goes in its own CSV part of the multipart body, not in the campaign JSON");
        Created c = create(key, root);
        RecipientImporter.Result r = csv == null ? importer(c).json(CallsApi.JSON.createArrayNode()) : importer(c).csv(csv);
        return created(c, r);
    }

    /** POST /v1/campaigns/{id}/recipients: more recipients, as CSV or JSON. */
    public ApiResponse append(ApiKey key, String id, String contentType, InputStream body) throws IOException {
        Campaign campaign = find(key, id);
        if (campaign.isFinal()) throw new ApiException(409, "conflict", null, "campaign " + id + " is " + campaign.status() + "; it takes no more recipients", 0);
        Created c = new Created(campaign, campaignCalls.parsed(campaign).spec());
        RecipientImporter.Result r;
        if (contentType != null && contentType.startsWith("application/json")) {
            JsonNode root = CallsApi.parseJson(body.readAllBytes());
            JsonNode recipients = root.get("recipients");
            if (recipients == null || !recipients.isArray()) throw ApiException.validation("recipients", "must be an array of {\"phone\": ...} objects");
            r = importer(c).json(recipients);
        } else {
            r = importer(c).csv(body);
        }
        scheduler.wake();
        return new ApiResponse(200, r.json().toString());
    }

    private record Created(Campaign campaign, CampaignSpec spec) {}

    private Created create(ApiKey key, JsonNode root) {
        CampaignSpec spec = CampaignSpec.parse(root, hours, maxCps);
        Instant now = clock.instant();
        checkCallerIds(spec, now);
        String status = spec.paused() ? Campaign.PAUSED : Campaign.SCHEDULED; // the scheduler starts it (and says so)
        Campaign c = new Campaign(newId(), 0, key.id(), spec.name(), status, spec.normalized().toString(), now, null, spec.paused() ? now : null, null);
        store.create(c);
        return new Created(c, spec);
    }

    /** Every caller ID must be one a trunk accepts; and the call defaults must make a call the engine takes. */
    private void checkCallerIds(CampaignSpec spec, Instant now) {
        for (int i = 0; i < spec.from().size(); i++) {
            ObjectNode rec = CallsApi.JSON.createObjectNode();
            rec.put("from", spec.from().get(i));
            rec.put("to", spec.from().get(i)); // any valid number: only the caller ID and the defaults are checked
            if (spec.trunk() != null) rec.put("trunk", spec.trunk());
            CallSpec call;
            try {
                call = CallSpec.parse(CallsApi.merge(spec.call(), rec, ""), "", now);
            } catch (ApiException e) {
                throw rename(e, i);
            }
            try {
                calls.check(call, "");
            } catch (ApiException e) {
                throw rename(e, i);
            }
        }
    }

    private static ApiException rename(ApiException e, int fromIndex) {
        String f = e.field();
        String field = f == null ? "call" : f.equals("from") ? "from[" + fromIndex + "]" : f.equals("to") ? "from[" + fromIndex + "]"
                : f.equals("trunk") ? "trunk" : "call." + f;
        return ApiException.validation(field, e.getMessage());
    }

    private RecipientImporter importer(Created c) {
        CallingWindow window = c.spec().window().within(hours);
        Instant from = c.spec().startAt() != null && c.spec().startAt().isAfter(clock.instant()) ? c.spec().startAt() : clock.instant();
        return new RecipientImporter(store, c.campaign().id(), window, c.spec().defaultRegion(), from);
    }

    private ApiResponse created(Created c, RecipientImporter.Result r) {
        scheduler.wake();
        ObjectNode n = resource(store.get(c.campaign().id()).orElseThrow());
        n.set("import", r.json());
        return new ApiResponse(201, n.toString());
    }

    // ---- read ----

    public ApiResponse get(ApiKey key, String id) {
        return new ApiResponse(200, resource(find(key, id)).toString());
    }

    public ApiResponse list(ApiKey key, Map<String, List<String>> params) {
        for (String p : params.keySet()) if (!LIST_PARAMS.contains(p)) throw ApiException.validation(p, "is not a filter; use one of " + LIST_PARAMS);
        String status = one(params, "status");
        if (status != null && !Set.of(Campaign.SCHEDULED, Campaign.RUNNING, Campaign.PAUSED, Campaign.COMPLETED, Campaign.CANCELLED).contains(status)) {
            throw ApiException.validation("status", "must be one of scheduled, running, paused, completed, cancelled");
        }
        int limit = limit(params, 50, 200);
        long before = cursor(params);
        List<Campaign> page = store.list(key.id(), status, before, limit + 1);
        ObjectNode out = CallsApi.JSON.createObjectNode();
        ArrayNode a = out.putArray("campaigns");
        for (int i = 0; i < Math.min(limit, page.size()); i++) a.add(resource(page.get(i)));
        out.put("next_cursor", page.size() > limit ? String.valueOf(page.get(limit - 1).seq()) : null);
        return new ApiResponse(200, out.toString());
    }

    public ApiResponse recipients(ApiKey key, String id, Map<String, List<String>> params) {
        for (String p : params.keySet()) if (!LIST_PARAMS.contains(p)) throw ApiException.validation(p, "is not a filter; use one of " + LIST_PARAMS);
        find(key, id);
        String status = one(params, "status");
        if (status != null && !Set.of(Recipient.PENDING, Recipient.CALLING, Recipient.DONE, Recipient.FAILED, Recipient.DNC, Recipient.CANCELLED).contains(status)) {
            throw ApiException.validation("status", "must be one of pending, calling, done, failed, dnc, cancelled");
        }
        int limit = limit(params, 100, 1000);
        long after = params.containsKey("cursor") ? cursor(params) : -1; // JSON recipients start at line 0
        List<Recipient> page = store.recipients(id, status, after, limit + 1);
        ObjectNode out = CallsApi.JSON.createObjectNode();
        ArrayNode a = out.putArray("recipients");
        for (int i = 0; i < Math.min(limit, page.size()); i++) {
            Recipient r = page.get(i);
            ObjectNode o = a.addObject();
            o.put("line", r.line());
            o.put("phone", r.phone());
            o.put("timezone", r.zones());
            o.put("status", r.status().equals(Recipient.SETTLING) ? Recipient.CALLING : r.status());
            o.put("attempts", r.attempts());
            o.put("outcome", r.outcome());
            o.put("next_attempt_at", r.nextAt() == null || !r.status().equals(Recipient.PENDING) ? null : r.nextAt().toString());
            o.set("variables", r.variables() == null ? CallsApi.JSON.createObjectNode() : CampaignCalls.read(r.variables()));
            ArrayNode ids = o.putArray("calls");
            if (r.calls() != null) for (String c : r.calls().split(",")) ids.add(c);
        }
        out.put("next_cursor", page.size() > limit ? String.valueOf(page.get(limit - 1).line()) : null);
        return new ApiResponse(200, out.toString());
    }

    // ---- control ----

    public ApiResponse pause(ApiKey key, String id) {
        return control(key, id, Set.of(Campaign.SCHEDULED, Campaign.RUNNING), Campaign.PAUSED, "campaign.paused");
    }

    public ApiResponse resume(ApiKey key, String id) {
        Campaign c = find(key, id);
        // a campaign created paused has never started: resuming it schedules it, and the scheduler says started
        String to = c.startedAt() == null ? Campaign.SCHEDULED : Campaign.RUNNING;
        return control(key, id, Set.of(Campaign.PAUSED), to, to.equals(Campaign.RUNNING) ? "campaign.resumed" : null);
    }

    public ApiResponse cancel(ApiKey key, String id) {
        ApiResponse r = control(key, id, Set.of(Campaign.SCHEDULED, Campaign.RUNNING, Campaign.PAUSED), Campaign.CANCELLED, "campaign.cancelled");
        store.endPending(id, "campaign cancelled");
        for (String callId : store.waitingCalls(id)) dispatcher.cancelWaiting(callId, "campaign cancelled before it was dialled");
        return new ApiResponse(r.status(), resource(find(key, id)).toString());
    }

    private ApiResponse control(ApiKey key, String id, Set<String> from, String to, String event) {
        Campaign c = find(key, id);
        Instant now = clock.instant();
        if (c.status().equals(to)) return new ApiResponse(200, resource(c).toString()); // already so: pausing twice is fine
        if (!from.contains(c.status())) {
            throw new ApiException(409, "conflict", null, "campaign " + id + " is " + c.status() + "; it cannot be moved to " + to, 0);
        }
        var e = event == null ? null : campaignCalls.event(c, event, to, now);
        if (!store.transition(id, from, to, now, e)) {
            throw new ApiException(409, "conflict", null, "campaign " + id + " changed meanwhile; look again", 0);
        }
        eventsAppended.run();
        scheduler.wake();
        return new ApiResponse(200, resource(find(key, id)).toString());
    }

    // ---- do-not-call ----

    /** POST /v1/dnc: {"numbers": [...]}, or text (one per line, or a CSV with a phone column). */
    public ApiResponse dncAdd(String contentType, InputStream body) throws IOException {
        List<String> numbers = new ArrayList<>();
        List<String> refused = new ArrayList<>();
        if (contentType != null && contentType.startsWith("application/json")) {
            JsonNode root = CallsApi.parseJson(body.readAllBytes());
            JsonNode a = root.get("numbers");
            if (a == null || !a.isArray() || a.isEmpty()) throw ApiException.validation("numbers", "must be a non-empty array of phone numbers");
            for (int i = 0; i < a.size(); i++) {
                PhoneNumbers.Parsed p = PhoneNumbers.parse(a.get(i).asText(null), "US");
                if (p.ok()) numbers.add(p.e164());
                else throw ApiException.validation("numbers[" + i + "]", p.error());
            }
        } else {
            readNumberLines(body, numbers, refused);
        }
        int added = 0;
        for (int i = 0; i < numbers.size(); i += 1000) added += store.dncAdd(numbers.subList(i, Math.min(numbers.size(), i + 1000)), "api");
        ObjectNode out = CallsApi.JSON.createObjectNode();
        out.put("added", added);
        out.put("already_listed", numbers.size() - added);
        ArrayNode r = out.putArray("refused");
        refused.stream().limit(100).forEach(r::add);
        return new ApiResponse(200, out.toString());
    }

    /** One number per line, or a CSV whose header names a phone column; a bad line is named and skipped. */
    public static void readNumberLines(InputStream in, List<String> numbers, List<String> refused) throws IOException {
        BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        String line;
        int column = -1, n = 0;
        while ((line = r.readLine()) != null) {
            n++;
            if (line.isBlank() || line.startsWith("#")) continue;
            String[] cells = line.split(",");
            if (n == 1) {
                for (int i = 0; i < cells.length; i++) if (cells[i].strip().equalsIgnoreCase("phone")) column = i;
                if (column >= 0) continue;
            }
            String raw = column >= 0 ? (column < cells.length ? cells[column] : "") : line;
            PhoneNumbers.Parsed p = PhoneNumbers.parse(raw, "US");
            if (p.ok()) numbers.add(p.e164());
            else refused.add("line " + n + ": " + p.error());
        }
    }

    public ApiResponse dncCheck(Map<String, List<String>> params) {
        String phone = one(params, "phone");
        if (phone == null) throw ApiException.validation("phone", "is required, like ?phone=%2B14155550123");
        PhoneNumbers.Parsed p = PhoneNumbers.parse(phone.strip().startsWith("+") || phone.isBlank() ? phone : "+" + phone.strip(), "US");
        if (!p.ok()) throw ApiException.validation("phone", p.error());
        ObjectNode out = CallsApi.JSON.createObjectNode();
        out.put("phone", p.e164());
        out.put("listed", store.dncListed(p.e164()));
        return new ApiResponse(200, out.toString());
    }

    public ApiResponse dncRemove(String phone) {
        PhoneNumbers.Parsed p = PhoneNumbers.parse(phone, "US");
        if (!p.ok()) throw ApiException.validation("phone", p.error());
        if (!store.dncRemove(p.e164())) throw ApiException.notFound("number " + p.e164() + " is not on the do-not-call list");
        return new ApiResponse(200, "{\"phone\":\"" + p.e164() + "\",\"listed\":false}");
    }

    // ---- the resource ----

    private Campaign find(ApiKey key, String id) {
        return store.get(id).filter(c -> c.apiKeyId().equals(key.id())).orElseThrow(() -> ApiException.notFound("no campaign " + id));
    }

    ObjectNode resource(Campaign c) {
        Instant now = clock.instant();
        ObjectNode n = CallsApi.JSON.createObjectNode();
        n.put("id", c.id());
        n.put("name", c.name());
        n.put("status", c.status());
        n.put("created_at", c.createdAt().toString());
        n.put("started_at", c.startedAt() == null ? null : c.startedAt().toString());
        n.put("paused_at", c.pausedAt() == null || !c.status().equals(Campaign.PAUSED) ? null : c.pausedAt().toString());
        n.put("completed_at", c.completedAt() == null ? null : c.completedAt().toString());
        n.set("settings", CampaignCalls.read(c.settings()));
        var parsed = campaignCalls.parsed(c);
        ObjectNode p = progress(counts(c.id(), c.status(), now), scheduler.throttle(c.id()), parsed.rules().abandonmentCapPercent());
        if (!c.status().equals(Campaign.RUNNING)) p.putNull("eta_s"); // nothing is being dialled: no time to finish
        n.set("progress", p);
        return n;
    }

    /** A campaign's counts, and until when they may be served again without counting. */
    private record Counted(JdbcCampaignStore.Counts counts, String status, long freshUntilNanos) {}

    private final Map<String, Counted> counted = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * The counts of a campaign. Counting a million recipients takes a tenth of a second or more, and a dashboard asks
     * every second: a count that took long is reused for ten times as long as it took, so watching a big campaign
     * costs about a tenth of a core at most, whatever the size of the list. A count is never served once the
     * campaign's status has changed: a campaign shown completed is shown with its final counts.
     */
    private JdbcCampaignStore.Counts counts(String id, String status, Instant now) {
        long t = System.nanoTime();
        Counted c = counted.get(id);
        if (c != null && c.status().equals(status) && t - c.freshUntilNanos() < 0) return c.counts();
        JdbcCampaignStore.Counts k = store.counts(id, now);
        long took = System.nanoTime() - t;
        if (counted.size() > 10_000) counted.clear();
        // a list small enough to count in 20 ms is counted every time; a bigger one is served from this count for ten
        // times as long as it took (at most 30 s)
        if (took > 20_000_000L) counted.put(id, new Counted(k, status, System.nanoTime() + Math.min(30_000_000_000L, 10 * took)));
        else counted.remove(id);
        return k;
    }

    /** The progress object (CAMPAIGNS.md): counts, outcomes, rate, ETA, abandonment. */
    static ObjectNode progress(JdbcCampaignStore.Counts k, CampaignScheduler.Throttle throttle, double capPercent) {
        ObjectNode p = CallsApi.JSON.createObjectNode();
        long total = k.byStatus().values().stream().mapToLong(Long::longValue).sum();
        p.put("recipients", total);
        ObjectNode by = p.putObject("by_status");
        for (String s : List.of(Recipient.PENDING, Recipient.CALLING, Recipient.DONE, Recipient.FAILED, Recipient.DNC, Recipient.CANCELLED)) {
            long v = k.byStatus().getOrDefault(s, 0L) + (s.equals(Recipient.CALLING) ? k.byStatus().getOrDefault(Recipient.SETTLING, 0L) : 0);
            by.put(s, v);
        }
        p.put("attempts", k.attempts());
        ObjectNode out = p.putObject("outcomes");
        k.outcomes().forEach(out::put);
        double rate = k.startedLastMinute() / 60.0;
        p.put("rate_cps", Math.round(rate * 100) / 100.0);
        long open = by.path(Recipient.PENDING).asLong() + by.path(Recipient.CALLING).asLong();
        if (rate > 0) p.put("eta_s", Math.round(open / rate));
        else p.putNull("eta_s");
        ObjectNode a = p.putObject("abandonment");
        a.put("period_days", 30);
        a.put("answered_by_human", k.humans30d());
        a.put("abandoned", k.abandoned30d());
        a.put("rate_percent", k.humans30d() == 0 ? 0 : Math.round(10_000.0 * k.abandoned30d() / k.humans30d()) / 100.0);
        if (capPercent > 0) a.put("cap_percent", capPercent);
        if (throttle != null) {
            a.put("throttled", throttle.throttled());
            if (throttle.concurrency() > 0) a.put("concurrency_now", throttle.concurrency());
        }
        return p;
    }

    // ---- helpers ----

    static String newId() {
        return CallsApi.newId("CP");
    }

    private static String one(Map<String, List<String>> params, String name) {
        return CallsApi.one(params, name);
    }

    private static int limit(Map<String, List<String>> params, int def, int max) {
        String v = one(params, "limit");
        if (v == null) return def;
        try {
            int n = Integer.parseInt(v);
            if (n >= 1 && n <= max) return n;
        } catch (NumberFormatException e) {
            // falls through to the message
        }
        throw ApiException.validation("limit", "must be 1.." + max + ", got '" + v + "'");
    }

    private static long cursor(Map<String, List<String>> params) {
        String v = one(params, "cursor");
        if (v == null) return 0;
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw ApiException.validation("cursor", "must be a next_cursor this API returned");
        }
    }
}
