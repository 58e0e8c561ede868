package io.trunkline.sip.stir;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A parsed full-form Identity header value (RFC 8224 §4.1): {@code <jws>;info=<url>;alg=ES256;ppt=shaken}.
 * The compact form ({@code header..signature}) cannot be verified without rebuilding claims, which SHAKEN does not
 * use, so it is rejected.
 */
public record IdentityHeader(String jws, String info, Map<String, String> params) {
    public static IdentityHeader parse(String value) {
        if (value == null || value.isBlank()) throw new IllegalArgumentException("empty Identity header");
        String v = value.trim();
        int semi = v.indexOf(';');
        String jws = (semi < 0 ? v : v.substring(0, semi)).trim();
        String[] parts = jws.split("\\.", -1);
        if (parts.length != 3 || parts[0].isEmpty() || parts[2].isEmpty()) {
            throw new IllegalArgumentException("Identity is not a JWS in compact serialization header.payload.signature");
        }
        if (parts[1].isEmpty()) throw new IllegalArgumentException("compact-form PASSporT (no payload) is not supported");
        Map<String, String> params = new HashMap<>();
        String info = null;
        if (semi >= 0) {
            for (String p : v.substring(semi + 1).split(";")) {
                int eq = p.indexOf('=');
                if (eq <= 0) continue;
                String name = p.substring(0, eq).trim().toLowerCase(Locale.ROOT);
                String val = p.substring(eq + 1).trim();
                if (name.equals("info")) {
                    if (!val.startsWith("<") || !val.endsWith(">")) throw new IllegalArgumentException("info must be <URL>");
                    info = val.substring(1, val.length() - 1);
                } else {
                    params.put(name, val);
                }
            }
        }
        return new IdentityHeader(jws, info, Map.copyOf(params));
    }

    public String[] segments() { return jws.split("\\.", -1); }
}
