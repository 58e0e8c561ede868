package io.trunkline.service.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.trunkline.service.campaign.CallingWindow;
import io.trunkline.service.campaign.CampaignRules;
import io.trunkline.service.campaign.CampaignScheduler;
import io.trunkline.service.dial.CallResource;
import io.trunkline.service.store.Campaign;
import io.trunkline.service.store.JdbcCampaignStore;
import io.trunkline.service.store.NewCall;
import io.trunkline.service.store.NewEvent;
import io.trunkline.service.store.Recipient;

import java.io.IOException;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A campaign's calls and events as the API makes them: each call is the campaign's call defaults with the
 * recipient over them, through the same parsing and checks as {@code POST /v1/calls/batch}, so a campaign call is
 * in every way an API call (its resource, its webhooks, its place in the store's crash rules).
 */
final class CampaignCalls implements CampaignScheduler.Calls {
    private final JdbcCampaignStore store;
    private final CallingWindow hours;
    private final Map<String, Parsed> parsed = new ConcurrentHashMap<>();

    /** Settings read once per campaign (they do not change). */
    record Parsed(String settings, CampaignSpec spec, CampaignRules rules) {}

    CampaignCalls(JdbcCampaignStore store, CallingWindow hours) {
        this.store = store;
        this.hours = hours;
    }

    Parsed parsed(Campaign c) {
        Parsed p = parsed.get(c.id());
        if (p != null && p.settings().equals(c.settings())) return p;
        if (parsed.size() > 1000) parsed.clear();
        CampaignSpec spec = CampaignSpec.stored(read(c.settings()));
        CallingWindow window = spec.window().within(hours);
        if (window == null) window = hours; // narrowed to nothing by calling hours configured since: the hours alone
        p = new Parsed(c.settings(), spec, new CampaignRules(window, spec.startAt(), spec.endAt(), spec.retry(), spec.concurrency(),
                spec.cps(), spec.abandonmentCapPercent()));
        parsed.put(c.id(), p);
        return p;
    }

    @Override
    public CampaignRules rules(Campaign c) {
        return parsed(c).rules();
    }

    @Override
    public NewCall call(Campaign c, Recipient r, Instant now, Instant notAfter) {
        CampaignSpec spec = parsed(c).spec();
        ObjectNode rec = CallsApi.JSON.createObjectNode();
        // caller IDs in turn, so each carries its share (and its own CPS limit, if the trunk sets one)
        rec.put("from", spec.from().get((int) ((r.line() + r.attempts()) % spec.from().size())));
        rec.put("to", r.phone());
        if (spec.trunk() != null) rec.put("trunk", spec.trunk());
        ObjectNode meta = rec.putObject("metadata");
        meta.put("campaign_id", c.id());
        meta.put("recipient_line", r.line());
        meta.put("attempt", r.attempts() + 1);
        if (r.variables() != null) rec.set("variables", read(r.variables()));
        rec.putObject("schedule").put("latest_at", notAfter.toString());
        CallSpec call = CallSpec.parse(CallsApi.merge(spec.call(), rec, ""), "", now);
        String id = CallsApi.newId();
        CallResource resource = CallResource.accepted(id, call, now);
        return new NewCall(id, resource.status(), call.request().from(), call.request().to(), c.apiKeyId(), now, null, call.notAfter(),
                call.normalized().toString(), resource.json(), null, c.id(), r.line());
    }

    @Override
    public NewEvent event(Campaign c, String type, String status, Instant now) {
        ObjectNode e = CallsApi.JSON.createObjectNode();
        e.put("event", type);
        e.put("campaign_id", c.id());
        e.put("name", c.name());
        e.put("status", status);
        e.put("timestamp", now.toString());
        e.set("progress", CampaignsApi.progress(store.counts(c.id(), now), null, 0));
        return new NewEvent(type, e.toString(), parsed(c).spec().statusCallback());
    }

    static JsonNode read(String json) {
        try {
            return CallsApi.JSON.readTree(json);
        } catch (IOException e) {
            throw new IllegalStateException("stored JSON does not parse", e);
        }
    }
}
