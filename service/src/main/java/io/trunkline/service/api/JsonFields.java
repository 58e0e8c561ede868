package io.trunkline.service.api;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Set;

/** Typed reads of a JSON request body; every refusal names the field and what it allows. */
final class JsonFields {
    private JsonFields() {}

    static void refuseUnknown(JsonNode object, String prefix, Set<String> allowed) {
        var names = object.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (!allowed.contains(name)) {
                throw ApiException.validation(prefix + name, "unknown field; allowed: " + String.join(", ", new java.util.TreeSet<>(allowed)));
            }
        }
    }

    static String string(JsonNode n, String field, String path, int maxLength) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) return null;
        if (!v.isTextual()) throw ApiException.validation(path, "must be a string");
        String s = v.textValue();
        if (s.length() > maxLength) throw ApiException.validation(path, "must be at most " + maxLength + " characters, got " + s.length());
        return s;
    }

    static String requiredString(JsonNode n, String field, String path, int maxLength) {
        String s = string(n, field, path, maxLength);
        if (s == null || s.isBlank()) throw ApiException.validation(path, "is required");
        return s;
    }

    /** An integer in [min, max], or {@code def} when absent. */
    static int integer(JsonNode n, String field, String path, int min, int max, String unit, int def) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) return def;
        if (!v.isIntegralNumber() || !v.canConvertToLong()) {
            throw ApiException.validation(path, "must be an integer " + min + ".." + max + unit(unit));
        }
        long x = v.longValue();
        if (x < min || x > max) throw ApiException.validation(path, "must be " + min + ".." + max + unit(unit) + ", got " + x);
        return (int) x;
    }

    static Instant instant(JsonNode n, String field, String path) {
        String s = string(n, field, path, 64);
        if (s == null) return null;
        try {
            return Instant.parse(s);
        } catch (DateTimeParseException e) {
            throw ApiException.validation(path, "must be an ISO-8601 instant like 2026-12-03T14:00:00Z");
        }
    }

    /** One of the allowed words, case-insensitive, returned in lower case. */
    static String oneOf(JsonNode n, String field, String path, Set<String> allowed) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) return null;
        String s = v.isBoolean() ? String.valueOf(v.booleanValue()) : v.isTextual() ? v.textValue().toLowerCase(java.util.Locale.ROOT) : null;
        if (s == null || !allowed.contains(s)) {
            throw ApiException.validation(path, "must be one of " + String.join(", ", new java.util.TreeSet<>(allowed))
                    + (v.isTextual() ? ", got '" + io.trunkline.sip.message.HeaderSafety.printable(v.textValue()) + "'" : ""));
        }
        return s;
    }

    /** An absolute http(s) URL with a host, without control characters. */
    static String url(JsonNode n, String field, String path, Set<String> schemes) {
        String s = string(n, field, path, 2048);
        if (s == null) return null;
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) <= 0x20 || s.charAt(i) == 0x7f) throw ApiException.validation(path, "must be a URL without spaces or control characters");
        }
        java.net.URI u;
        try {
            u = new java.net.URI(s);
        } catch (java.net.URISyntaxException e) {
            throw ApiException.validation(path, "is not a valid URL");
        }
        if (u.getScheme() == null || !schemes.contains(u.getScheme().toLowerCase(java.util.Locale.ROOT)) || u.getHost() == null) {
            throw ApiException.validation(path, "must be an absolute " + String.join(" or ", schemes) + " URL with a host");
        }
        return s;
    }

    private static String unit(String unit) { return unit.isEmpty() ? "" : " " + unit; }
}
