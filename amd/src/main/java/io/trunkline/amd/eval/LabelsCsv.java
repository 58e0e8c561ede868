package io.trunkline.amd.eval;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads the AMD corpus labels: CSV with a header naming at least {@code file} and {@code label}
 * (human, machine or silence), and optionally {@code speech_start_ms}, {@code speech_end_ms},
 * {@code beep_start_ms}, {@code beep_end_ms} and {@code kind} (the sub-kind); other columns are ignored. Fields may be double-quoted.
 */
public final class LabelsCsv {

    private LabelsCsv() {}

    /** Labels by file name, in file order. */
    public static Map<String, ClipLabel> read(Path csv) throws IOException {
        List<String> lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
        if (lines.isEmpty()) {
            throw new IOException(csv + ": empty labels file");
        }
        List<String> header = split(lines.get(0));
        Map<String, Integer> column = new HashMap<>();
        for (int i = 0; i < header.size(); i++) {
            column.put(header.get(i).trim().toLowerCase(Locale.ROOT), i);
        }
        for (String required : List.of("file", "label")) {
            if (!column.containsKey(required)) {
                throw new IOException(csv + ": header lacks the '" + required + "' column");
            }
        }
        Map<String, ClipLabel> labels = new LinkedHashMap<>();
        for (int n = 1; n < lines.size(); n++) {
            String line = lines.get(n);
            if (line.isBlank()) {
                continue;
            }
            List<String> f = split(line);
            String where = csv + " line " + (n + 1);
            String file = field(f, column, "file");
            String labelText = field(f, column, "label");
            ClipLabel.Label label;
            try {
                label = ClipLabel.Label.valueOf(labelText.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IOException(where + ": label must be human, machine or silence, got '" + labelText + "'");
            }
            labels.put(file, new ClipLabel(file, label, millis(f, column, "speech_start_ms", where),
                    millis(f, column, "speech_end_ms", where), millis(f, column, "beep_start_ms", where),
                    millis(f, column, "beep_end_ms", where), kind(f, column)));
        }
        return labels;
    }

    private static String field(List<String> fields, Map<String, Integer> column, String name) {
        Integer i = column.get(name);
        return i == null || i >= fields.size() ? "" : fields.get(i).trim();
    }

    private static String kind(List<String> fields, Map<String, Integer> column) {
        String k = field(fields, column, "kind");
        return k.isEmpty() ? null : k.toLowerCase(Locale.ROOT);
    }

    private static Integer millis(List<String> fields, Map<String, Integer> column, String name, String where)
            throws IOException {
        String v = field(fields, column, name);
        if (v.isEmpty()) {
            return null;
        }
        try {
            return Integer.valueOf(v);
        } catch (NumberFormatException e) {
            throw new IOException(where + ": " + name + " must be an integer number of ms, got '" + v + "'");
        }
    }

    /** Splits one CSV record (RFC 4180 quoting, no embedded newlines). */
    static List<String> split(String line) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    cur.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    cur.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                out.add(cur.toString());
                cur.setLength(0);
            } else {
                cur.append(c);
            }
        }
        out.add(cur.toString());
        return out;
    }
}
