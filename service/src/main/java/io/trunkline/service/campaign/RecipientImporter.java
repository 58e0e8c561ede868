package io.trunkline.service.campaign;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import io.trunkline.service.store.JdbcCampaignStore;
import io.trunkline.service.store.NewRecipient;

import java.io.IOException;
import java.io.InputStream;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Imports a campaign's recipients from CSV (streamed: rows go to the store in batches, so memory does not grow with
 * the file) or from a JSON array. Each row's number is normalised to E.164 and placed in its timezones; the other
 * columns become its variables. A bad row is reported by line and column and the rest still go in.
 */
public final class RecipientImporter {
    private static final int BATCH = 1000;
    private static final int MAX_ERRORS = 100;
    private static final int MAX_VARIABLES_BYTES = 4096;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final CsvMapper CSV = new CsvMapper();

    private final JdbcCampaignStore store;
    private final String campaignId;
    private final CallingWindow window;
    private final String defaultRegion;
    private final Instant from;
    private final List<NewRecipient> batch = new ArrayList<>(BATCH);
    /** The window's first opening per zone set: numbers of one area share it, and computing it is the costly part. */
    private final Map<String, Instant> opening = new HashMap<>();
    private final List<RowError> errors = new ArrayList<>();
    private long imported, rejected, dnc;

    /** A row that was not imported. */
    public record RowError(long line, String column, String value, String message) {}

    /** What an import did. */
    public record Result(long imported, long rejected, long dnc, List<RowError> errors) {
        public ObjectNode json() {
            ObjectNode n = JSON.createObjectNode();
            n.put("imported", imported);
            n.put("rejected", rejected);
            n.put("dnc", dnc);
            var a = n.putArray("errors");
            for (RowError e : errors) {
                ObjectNode o = a.addObject();
                o.put("line", e.line());
                o.put("column", e.column());
                if (e.value() != null) o.put("value", e.value());
                o.put("message", e.message());
            }
            return n;
        }
    }

    /**
     * @param window the campaign's window, already inside the calling hours
     * @param from   no recipient is due before this (the campaign's start, or now)
     */
    public RecipientImporter(JdbcCampaignStore store, String campaignId, CallingWindow window, String defaultRegion, Instant from) {
        this.store = store;
        this.campaignId = campaignId;
        this.window = window;
        this.defaultRegion = defaultRegion;
        this.from = from;
    }

    /** Reads a CSV with a header row holding a {@code phone} column. */
    public Result csv(InputStream in) throws IOException {
        store.importStarted(campaignId);
        try (MappingIterator<List<String>> rows = CSV.readerForListOf(String.class).with(CsvParser.Feature.WRAP_AS_ARRAY)
                .with(CsvParser.Feature.SKIP_EMPTY_LINES).readValues(in)) {
            if (!rows.hasNextValue()) {
                error(1, "phone", null, "the CSV is empty: it needs a header row with a phone column");
                return finish();
            }
            List<String> header = rows.nextValue();
            int phone = -1, zone = -1;
            for (int i = 0; i < header.size(); i++) {
                String h = header.get(i).strip().toLowerCase(Locale.ROOT);
                if (h.equals("phone")) phone = i;
                if (h.equals("timezone")) zone = i;
            }
            if (phone < 0) {
                error(1, "phone", null, "the header row has no phone column (it has " + header + ")");
                return finish();
            }
            while (true) {
                long line = rows.getCurrentLocation().getLineNr();
                List<String> row;
                try {
                    if (!rows.hasNextValue()) break;
                    row = rows.nextValue();
                } catch (RuntimeException e) { // Jackson's CSV errors are unchecked here: report the line, go on
                    error(line, null, null, "not CSV: " + e.getMessage().lines().findFirst().orElse(""));
                    break;
                }
                ObjectNode vars = JSON.createObjectNode();
                for (int i = 0; i < row.size() && i < header.size(); i++) {
                    if (i != phone && i != zone) vars.put(header.get(i).strip(), row.get(i));
                }
                add(line, "phone", phone < row.size() ? row.get(phone) : null, zone >= 0 && zone < row.size() ? row.get(zone) : null, vars, "timezone");
            }
        }
        return finish();
    }

    /** Reads {@code recipients: [{"phone": ..., "timezone": ..., other fields}]}; "line" is the index. */
    public Result json(JsonNode recipients) {
        store.importStarted(campaignId);
        for (int i = 0; i < recipients.size(); i++) {
            JsonNode r = recipients.get(i);
            String path = "recipients[" + i + "].";
            if (!r.isObject()) {
                error(i, path.substring(0, path.length() - 1), null, "must be an object with a phone field");
                continue;
            }
            ObjectNode vars = JSON.createObjectNode();
            r.fields().forEachRemaining(e -> {
                if (!e.getKey().equals("phone") && !e.getKey().equals("timezone")) vars.put(e.getKey(), e.getValue().isTextual() ? e.getValue().textValue() : e.getValue().toString());
            });
            add(i, path + "phone", r.path("phone").isTextual() ? r.get("phone").textValue() : null,
                    r.path("timezone").isTextual() ? r.get("timezone").textValue() : null, vars, path + "timezone");
        }
        return finish();
    }

    private void add(long line, String phoneColumn, String phone, String zoneOverride, ObjectNode vars, String zoneColumn) {
        PhoneNumbers.Parsed p = PhoneNumbers.parse(phone, defaultRegion);
        if (!p.ok()) {
            error(line, phoneColumn, phone, p.error());
            return;
        }
        String zones;
        if (zoneOverride != null && !zoneOverride.isBlank()) {
            try {
                zones = ZoneId.of(zoneOverride.strip()).getId();
            } catch (DateTimeException e) {
                error(line, zoneColumn, zoneOverride, "not an IANA timezone, like America/New_York");
                return;
            }
        } else if (p.zones().isEmpty()) {
            error(line, phoneColumn, phone, "no timezone is known for this number; give one in a timezone column");
            return;
        } else {
            zones = String.join(",", p.zones());
        }
        Instant next = opening.computeIfAbsent(zones, z -> window.nextOpen(from, zoneIds(z)));
        if (opening.size() > 10_000) opening.clear(); // bounded: a list over every zone set there is stays small anyway
        if (next == null) {
            error(line, zoneOverride != null ? zoneColumn : phoneColumn, zoneOverride != null ? zoneOverride : phone,
                    "the window is never open at once in all of this number's zones (" + zones + "); give a timezone column");
            return;
        }
        String variables = vars.isEmpty() ? null : vars.toString();
        if (variables != null && variables.length() > MAX_VARIABLES_BYTES) {
            error(line, null, null, "the row's other columns hold more than " + MAX_VARIABLES_BYTES + " bytes");
            return;
        }
        batch.add(new NewRecipient(line, p.e164(), zones, variables, next));
        if (batch.size() == BATCH) flush();
    }

    private void flush() {
        if (batch.isEmpty()) return;
        JdbcCampaignStore.Imported r = store.importRecipients(campaignId, batch);
        imported += r.inserted();
        dnc += r.dnc();
        if (!r.duplicates().isEmpty()) {
            Map<Long, NewRecipient> byLine = new HashMap<>();
            for (NewRecipient n : batch) byLine.put(n.line(), n);
            for (long line : r.duplicates()) {
                NewRecipient n = byLine.get(line);
                String first = store.lineOf(campaignId, n.phone()).map(l -> "duplicate of line " + l).orElse("duplicate");
                error(line, "phone", n.phone(), first);
            }
        }
        batch.clear();
    }

    private void error(long line, String column, String value, String message) {
        rejected++;
        if (errors.size() < MAX_ERRORS) errors.add(new RowError(line, column, value, message));
    }

    private Result finish() {
        try {
            flush();
        } finally {
            store.importEnded(campaignId);
        }
        return new Result(imported, rejected, dnc, List.copyOf(errors));
    }

    public static List<ZoneId> zoneIds(String zones) {
        List<ZoneId> out = new ArrayList<>(2);
        for (String z : zones.split(",")) out.add(ZoneId.of(z));
        return out;
    }
}
