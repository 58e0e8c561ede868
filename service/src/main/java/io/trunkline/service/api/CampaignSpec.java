package io.trunkline.service.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.trunkline.service.campaign.CallingWindow;
import io.trunkline.service.campaign.RetryRule;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A campaign's settings as the API accepts them: parsed and validated field by field (unknown fields refused), and
 * kept as a normalised JSON object, defaults filled in, that the store holds and every node reads back the same.
 * The call defaults are checked by building one call from them per caller ID, so a campaign the API accepts makes
 * calls the engine will take.
 */
public record CampaignSpec(ObjectNode normalized, String name, List<String> from, String trunk, ObjectNode call,
                           int concurrency, int cps, CallingWindow window, Instant startAt, Instant endAt,
                           Map<String, RetryRule> retry, String statusCallback, String defaultRegion,
                           double abandonmentCapPercent, boolean paused) {
    static final Set<String> FIELDS = Set.of("name", "from", "trunk", "call", "concurrency", "cps", "window", "start_at", "end_at",
            "retry", "status_callback", "default_region", "abandonment_cap_percent", "paused", "recipients");
    /** Call fields a campaign sets per call itself. */
    static final Set<String> CALL_FIELDS_NOT_ALLOWED = Set.of("from", "to", "trunk", "schedule");
    public static final List<String> RETRY_OUTCOMES = List.of("busy", "no-answer", "voicemail", "failed");

    /**
     * @param hours    the legal calling hours the window must lie inside
     * @param maxCps   the trunks' CPS: the campaign cannot ask for more
     */
    static CampaignSpec parse(JsonNode body, CallingWindow hours, int maxCps) {
        if (body == null || !body.isObject()) throw ApiException.validation(null, "must be a JSON object of campaign settings");
        JsonFields.refuseUnknown(body, "", FIELDS);
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        String name = JsonFields.requiredString(body, "name", "name", 128);
        out.put("name", name);

        List<String> from = new ArrayList<>();
        JsonNode f = body.get("from");
        if (f != null && f.isTextual()) from.add(f.textValue());
        else if (f != null && f.isArray() && !f.isEmpty() && f.size() <= 100) f.forEach(x -> from.add(x.isTextual() ? x.textValue() : null));
        else throw ApiException.validation("from", "is required: a caller ID (E.164) or a list of 1..100 of them");
        for (int i = 0; i < from.size(); i++) if (from.get(i) == null) throw ApiException.validation("from[" + i + "]", "must be a string");
        ArrayNode fromOut = out.putArray("from");
        from.forEach(fromOut::add);

        String trunk = JsonFields.string(body, "trunk", "trunk", 64);
        if (trunk != null) out.put("trunk", trunk);

        JsonNode call = body.get("call");
        ObjectNode callOut = JsonNodeFactory.instance.objectNode();
        if (call != null && !call.isNull()) {
            if (!call.isObject()) throw ApiException.validation("call", "must be an object of POST /v1/calls fields");
            for (String no : CALL_FIELDS_NOT_ALLOWED) {
                if (call.has(no)) throw ApiException.validation("call." + no, "is set by the campaign" + (no.equals("schedule") ? " (window, start_at, end_at)" : " (its own " + no + " field)"));
            }
            callOut = ((ObjectNode) call).deepCopy();
        }
        out.set("call", callOut);

        int concurrency = JsonFields.integer(body, "concurrency", "concurrency", 1, 10_000, "calls", 10);
        int cps = JsonFields.integer(body, "cps", "cps", 1, Math.max(1, maxCps), "calls/s", Math.max(1, maxCps));
        out.put("concurrency", concurrency);
        out.put("cps", cps);

        CallingWindow window = window(body.get("window"), hours);
        ObjectNode w = out.putObject("window");
        ArrayNode days = w.putArray("days");
        for (DayOfWeek d : DayOfWeek.values()) if (window.days().contains(d)) days.add(CallingWindow.name(d));
        w.put("start", hhmm(window.start()));
        w.put("end", hhmm(window.end()));

        Instant startAt = JsonFields.instant(body, "start_at", "start_at");
        Instant endAt = JsonFields.instant(body, "end_at", "end_at");
        if (startAt != null && endAt != null && !endAt.isAfter(startAt)) throw ApiException.validation("end_at", "must be after start_at");
        if (startAt != null) out.put("start_at", startAt.toString());
        if (endAt != null) out.put("end_at", endAt.toString());

        Map<String, RetryRule> retry = retry(body.get("retry"));
        ObjectNode r = out.putObject("retry");
        retry.forEach((k, v) -> r.putObject(k).put("max_attempts", v.maxAttempts()).put("delay_s", v.delaySeconds()));

        String statusCallback = JsonFields.url(body, "status_callback", "status_callback", Set.of("http", "https"));
        if (statusCallback == null) statusCallback = callOut.path("status_callback").asText(null);
        if (statusCallback != null) out.put("status_callback", statusCallback);

        String region = JsonFields.string(body, "default_region", "default_region", 2);
        if (region == null) region = "US";
        region = region.toUpperCase(java.util.Locale.ROOT);
        if (!com.google.i18n.phonenumbers.PhoneNumberUtil.getInstance().getSupportedRegions().contains(region)) {
            throw ApiException.validation("default_region", "must be an ISO 3166 country code libphonenumber knows, like US or GB, got '" + region + "'");
        }
        out.put("default_region", region);

        double cap = 3.0;
        JsonNode capNode = body.get("abandonment_cap_percent");
        if (capNode != null && !capNode.isNull()) {
            if (!capNode.isNumber() || capNode.doubleValue() != 0 && capNode.doubleValue() < 0.1 || capNode.doubleValue() > 100) {
                throw ApiException.validation("abandonment_cap_percent", "must be 0 (no throttle) or a number 0.1..100 (percent), got " + capNode);
            }
            cap = capNode.doubleValue();
        }
        out.put("abandonment_cap_percent", cap);
        JsonNode p = body.get("paused");
        if (p != null && !p.isNull() && !p.isBoolean()) throw ApiException.validation("paused", "must be true or false");
        boolean paused = p != null && p.asBoolean(false);
        return new CampaignSpec(out, name, List.copyOf(from), trunk, callOut, concurrency, cps, window, startAt, endAt, retry,
                statusCallback, region, cap, paused);
    }

    /**
     * Reads back the settings the store holds (they were valid when stored). Their window is read as written; the
     * scheduler narrows it to the calling hours configured now, whatever they were at creation.
     */
    public static CampaignSpec stored(JsonNode n) {
        return parse(n, ALL_DAY, Integer.MAX_VALUE);
    }

    private static final CallingWindow ALL_DAY = new CallingWindow(CallingWindow.EVERY_DAY, LocalTime.MIN, LocalTime.MAX);

    private static CallingWindow window(JsonNode w, CallingWindow hours) {
        if (w == null || w.isNull()) return hours;
        if (!w.isObject()) throw ApiException.validation("window", "must be an object with days, start and end");
        JsonFields.refuseUnknown(w, "window.", Set.of("days", "start", "end"));
        Set<DayOfWeek> days = EnumSet.noneOf(DayOfWeek.class);
        JsonNode d = w.get("days");
        if (d == null || d.isNull()) days.addAll(CallingWindow.EVERY_DAY);
        else if (!d.isArray() || d.isEmpty()) throw ApiException.validation("window.days", "must be a list of days, like [\"mon\", \"tue\"]");
        else {
            for (int i = 0; i < d.size(); i++) {
                try {
                    days.add(CallingWindow.day(d.get(i).asText()));
                } catch (IllegalArgumentException e) {
                    throw ApiException.validation("window.days[" + i + "]", e.getMessage());
                }
            }
        }
        LocalTime start = time(w, "start", hours.start());
        LocalTime end = time(w, "end", hours.end());
        if (start.isBefore(hours.start()) || start.isAfter(hours.end())) {
            throw ApiException.validation("window.start", "must lie inside the calling hours " + hhmm(hours.start()) + "-" + hhmm(hours.end())
                    + " (recipient's local time), got " + hhmm(start));
        }
        if (end.isAfter(hours.end()) || end.isBefore(hours.start())) {
            throw ApiException.validation("window.end", "must lie inside the calling hours " + hhmm(hours.start()) + "-" + hhmm(hours.end())
                    + " (recipient's local time), got " + hhmm(end));
        }
        if (!end.isAfter(start)) throw ApiException.validation("window.end", "must be after window.start");
        return new CallingWindow(days, start, end);
    }

    private static LocalTime time(JsonNode w, String field, LocalTime def) {
        JsonNode t = w.get(field);
        if (t == null || t.isNull()) return def;
        try {
            return CallingWindow.time(t.asText());
        } catch (IllegalArgumentException e) {
            throw ApiException.validation("window." + field, e.getMessage());
        }
    }

    private static Map<String, RetryRule> retry(JsonNode r) {
        Map<String, RetryRule> out = new LinkedHashMap<>();
        if (r == null || r.isNull()) return out;
        if (!r.isObject()) throw ApiException.validation("retry", "must be an object keyed by outcome: " + RETRY_OUTCOMES);
        JsonFields.refuseUnknown(r, "retry.", Set.copyOf(RETRY_OUTCOMES));
        for (String outcome : RETRY_OUTCOMES) {
            JsonNode rule = r.get(outcome);
            if (rule == null || rule.isNull()) continue;
            String path = "retry." + outcome;
            if (!rule.isObject()) throw ApiException.validation(path, "must be {\"max_attempts\": n, \"delay_s\": s}");
            JsonFields.refuseUnknown(rule, path + ".", Set.of("max_attempts", "delay_s"));
            int max = JsonFields.integer(rule, "max_attempts", path + ".max_attempts", 1, 20, "attempts", 1);
            int delay = JsonFields.integer(rule, "delay_s", path + ".delay_s", 0, 2_592_000, "s", 0);
            out.put(outcome, new RetryRule(max, delay));
        }
        return out;
    }

    static String hhmm(LocalTime t) {
        return t.equals(LocalTime.MAX) ? "24:00" : String.format("%02d:%02d", t.getHour(), t.getMinute());
    }
}
