package io.trunkline.cli;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * How a campaign resource reads on a terminal: the list's table row, show's summary, the import report. Kept apart
 * from the commands so that the wording is in one place and the figures are read from the resource one way.
 */
final class CampaignReport {
    private CampaignReport() {}

    /** Recipients whose status is final: everything but pending and calling (so a status the CLI does not know counts as final, not lost). */
    static long finished(JsonNode campaign) {
        JsonNode p = campaign.path("progress");
        long total = p.path("recipients").asLong();
        JsonNode by = p.path("by_status");
        return Math.max(0, total - by.path("pending").asLong() - by.path("calling").asLong());
    }

    static long total(JsonNode campaign) {
        return campaign.path("progress").path("recipients").asLong();
    }

    static String rate(JsonNode campaign) {
        JsonNode r = campaign.path("progress").path("rate_cps");
        return r.isNumber() ? String.format(Locale.ROOT, "%.1f/s", r.asDouble()) : "-";
    }

    static String eta(JsonNode campaign) {
        JsonNode e = campaign.path("progress").path("eta_s");
        return e.isNumber() ? duration(e.asLong()) : "-";
    }

    /** 45s, 3m12s, 2h05m, 3d04h: two units at most, enough to plan by. */
    static String duration(long s) {
        if (s < 0) return "-";
        if (s < 60) return s + "s";
        if (s < 3600) return (s / 60) + "m" + String.format(Locale.ROOT, "%02d", s % 60) + "s";
        if (s < 86_400) return (s / 3600) + "h" + String.format(Locale.ROOT, "%02d", s % 3600 / 60) + "m";
        return (s / 86_400) + "d" + String.format(Locale.ROOT, "%02d", s % 86_400 / 3600) + "h";
    }

    static List<String> table(List<JsonNode> campaigns) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"ID", "NAME", "STATUS", "DONE/TOTAL", "RATE", "ETA"});
        for (JsonNode c : campaigns) {
            rows.add(new String[] {c.path("id").asText(), clip(printable(c.path("name").asText()), 40), c.path("status").asText(),
                    finished(c) + "/" + total(c), rate(c), eta(c)});
        }
        int[] width = new int[6];
        for (String[] r : rows) for (int i = 0; i < r.length; i++) width[i] = Math.max(width[i], r[i].length());
        List<String> out = new ArrayList<>();
        for (String[] r : rows) {
            StringBuilder b = new StringBuilder();
            for (int i = 0; i < r.length; i++) {
                boolean right = i >= 3; // figures right-aligned, so their digits line up
                String cell = right ? " ".repeat(width[i] - r[i].length()) + r[i] : r[i] + " ".repeat(width[i] - r[i].length());
                b.append(cell).append(i < r.length - 1 ? "  " : "");
            }
            out.add(b.toString().stripTrailing());
        }
        return out;
    }

    /** show's summary: what the operator asks first (status, how far, how fast, how long) above the breakdowns. */
    static List<String> summary(JsonNode c) {
        JsonNode p = c.path("progress");
        List<String> out = new ArrayList<>();
        out.add(c.path("id").asText() + "  " + printable(c.path("name").asText()) + "  " + c.path("status").asText());
        StringBuilder when = new StringBuilder("  created " + c.path("created_at").asText("-"));
        for (String f : new String[] {"started_at", "paused_at", "completed_at"}) {
            if (c.hasNonNull(f)) when.append("  ").append(f.replace("_at", "")).append(' ').append(c.get(f).asText());
        }
        out.add(when.toString());
        out.add("  recipients  " + total(c) + " (" + finished(c) + " finished): " + counts(p.path("by_status")));
        out.add("  attempts    " + p.path("attempts").asLong() + (p.path("outcomes").size() > 0 ? ": " + counts(p.path("outcomes")) : ""));
        out.add("  rate        " + rate(c) + "   ETA " + eta(c));
        JsonNode a = p.path("abandonment");
        if (a.isObject()) {
            // cap_percent and throttled are left out by the server when there is no cap or no throttle state yet
            out.add(String.format(Locale.ROOT, "  abandonment %.1f %% over %d days (%d abandoned of %d answered by a person)%s%s",
                    a.path("rate_percent").asDouble(), a.path("period_days").asInt(), a.path("abandoned").asLong(),
                    a.path("answered_by_human").asLong(),
                    a.hasNonNull("cap_percent") ? String.format(Locale.ROOT, ", cap %.1f %%", a.get("cap_percent").asDouble()) : "",
                    a.path("throttled").asBoolean() ? ": THROTTLED, dialling slowed to stay under the cap" : ""));
        }
        return out;
    }

    /** {"pending":7,"done":3} as "7 pending, 3 done", in the server's order. */
    static String counts(JsonNode map) {
        List<String> parts = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = map.properties().iterator(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            parts.add(e.getValue().asLong() + " " + printable(e.getKey()));
        }
        return parts.isEmpty() ? "-" : String.join(", ", parts);
    }

    /** The import object: counts, then the first row errors as line, column, message (the value, clipped, last). */
    static List<String> importReport(JsonNode imp, int maxErrors) {
        List<String> out = new ArrayList<>();
        long rejected = imp.path("rejected").asLong();
        out.add("imported " + imp.path("imported").asLong() + ", rejected " + rejected + ", do-not-call " + imp.path("dnc").asLong());
        JsonNode errors = imp.path("errors");
        int shown = 0;
        for (JsonNode e : errors) {
            if (shown == maxErrors) break;
            String value = e.hasNonNull("value") ? " (" + clip(printable(e.get("value").asText()), 40) + ")" : "";
            out.add("  line " + e.path("line").asText("?") + ", " + printable(e.path("column").asText("?")) + ": "
                    + printable(e.path("message").asText()) + value);
            shown++;
        }
        if (rejected > shown) {
            out.add("  ... " + (rejected - shown) + " more rejected row" + (rejected - shown == 1 ? "" : "s")
                    + (errors.size() > shown ? " (the server lists the first " + errors.size() + ")" : ""));
        }
        return out;
    }

    static String clip(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 3) + "...";
    }

    /** Names and CSV values come from users: no control characters reach the terminal. */
    static String printable(String s) {
        StringBuilder b = new StringBuilder(s.length());
        s.codePoints().forEach(cp -> b.appendCodePoint(Character.isISOControl(cp) ? '?' : cp));
        return b.toString();
    }
}
