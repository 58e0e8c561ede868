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

    /**
     * Settings read once per campaign (they do not change), with its calls' settings parsed once as a template, or
     * null when each call must be parsed in full (the defaults hold a schedule or a hold limit of their own).
     */
    record Parsed(String settings, CampaignSpec spec, CampaignRules rules, CallSpec template) {}

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
                spec.cps(), spec.abandonmentCapPercent()), template(spec));
        parsed.put(c.id(), p);
        return p;
    }

    @Override
    public CampaignRules rules(Campaign c) {
        return parsed(c).rules();
    }

    /** The campaign's call settings parsed once, for {@link CallSpec#forRecipient}; null when they cannot be. */
    private static CallSpec template(CampaignSpec spec) {
        if (spec.call().has("schedule") || spec.call().has("max_hold_seconds")) return null; // applied per call by parse
        ObjectNode rec = CallsApi.JSON.createObjectNode();
        rec.put("from", spec.from().get(0));
        rec.put("to", "+15550100001"); // replaced per recipient
        if (spec.trunk() != null) rec.put("trunk", spec.trunk());
        try {
            return CallSpec.parse(CallsApi.merge(spec.call(), rec, ""), "", Instant.EPOCH);
        } catch (ApiException e) {
            return null; // each call is parsed in full, and refused with its own error
        }
    }

    @Override
    public NewCall call(Campaign c, Recipient r, Instant now, Instant notAfter) {
        Parsed parsed = parsed(c);
        CampaignSpec spec = parsed.spec();
        ObjectNode rec = CallsApi.JSON.createObjectNode();
        // caller IDs in turn, so each carries its share (and its own CPS limit, if the trunk sets one)
        String from = spec.from().get((int) ((r.line() + r.attempts()) % spec.from().size()));
        ObjectNode meta = CallsApi.JSON.createObjectNode();
        meta.put("campaign_id", c.id());
        meta.put("recipient_line", r.line());
        meta.put("attempt", r.attempts() + 1);
        JsonNode vars = r.variables() == null ? null : read(r.variables());
        CallSpec call = parsed.template() == null || vars != null && !vars.isObject() ? null
                : parsed.template().forRecipient(from, r.phone(), meta, (ObjectNode) vars, notAfter, now, "");
        if (call == null) { // the full parse, as POST /v1/calls/batch does it
            rec.put("from", from);
            rec.put("to", r.phone());
            if (spec.trunk() != null) rec.put("trunk", spec.trunk());
            rec.set("metadata", meta);
            if (vars != null) rec.set("variables", vars);
            rec.putObject("schedule").put("latest_at", notAfter.toString());
            call = CallSpec.parse(CallsApi.merge(spec.call(), rec, ""), "", now);
        }
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
