package io.trunkline.sip.auth;

import io.trunkline.sip.message.HeaderSafety;
import io.trunkline.sip.ua.ChallengeResponder;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Answers SIP digest challenges (RFC 3261 §22, RFC 7616 with RFC 8760 for SIP): MD5 and SHA-256, qop=auth, or the
 * RFC 2069 form when the server offers no qop. The password lives only in this object and never in its toString.
 */
public final class DigestClient implements ChallengeResponder {
    private final String user;
    private final String password;
    /** The last challenge answered, for pre-emptive reuse; replaced whenever a new one arrives. */
    private volatile Reusable last;

    private record Reusable(boolean proxy, Map<String, String> challenge, java.util.concurrent.atomic.AtomicLong nonceCount) {}

    public DigestClient(String user, String password) {
        this.user = HeaderSafety.require("user", user);
        this.password = HeaderSafety.require("password", password);
        if (user.indexOf('"') >= 0 || user.indexOf('\\') >= 0) throw new IllegalArgumentException("user must not contain quotes or backslashes");
    }

    @Override
    public String respond(String challenge, String method, String uri) {
        return answer(parse(challenge), method, uri, 1);
    }

    @Override
    public String respond(String challenge, boolean proxy, String method, String uri) {
        Map<String, String> p = parse(challenge);
        String value = answer(p, method, uri, 1);
        if (value != null) last = new Reusable(proxy, p, new java.util.concurrent.atomic.AtomicLong(1));
        return value;
    }

    @Override
    public Credentials preemptive(String method, String uri) {
        Reusable r = last;
        if (r == null) return null;
        String value = answer(r.challenge(), method, uri, r.nonceCount().incrementAndGet());
        return value == null ? null : new Credentials(r.proxy() ? "Proxy-Authorization" : "Authorization", value);
    }

    private String answer(Map<String, String> p, String method, String uri, long nonceCount) {
        String realm = p.get("realm");
        String nonce = p.get("nonce");
        if (realm == null || nonce == null) throw new IllegalArgumentException("challenge lacks realm or nonce");
        String algorithm = p.getOrDefault("algorithm", "MD5");
        String hashName = switch (algorithm.toUpperCase(Locale.ROOT)) {
            case "MD5" -> "MD5";
            case "SHA-256" -> "SHA-256";
            default -> null;
        };
        if (hashName == null) return null; // e.g. -sess variants: we cannot answer this challenge
        HeaderSafety.require("uri", uri);
        String qops = p.get("qop");
        boolean auth = qops != null && java.util.Arrays.stream(qops.split(",")).anyMatch(q -> q.trim().equalsIgnoreCase("auth"));
        String ha1 = hash(hashName, user + ":" + realm + ":" + password);
        String ha2 = hash(hashName, method + ":" + uri);
        StringBuilder sb = new StringBuilder(256).append("Digest username=\"").append(user)
                .append("\", realm=\"").append(realm).append("\", nonce=\"").append(nonce)
                .append("\", uri=\"").append(uri).append('"');
        if (auth) {
            String nc = String.format("%08x", nonceCount);
            String cnonce = Long.toHexString(ThreadLocalRandom.current().nextLong() | Long.MIN_VALUE);
            String response = hash(hashName, ha1 + ":" + nonce + ":" + nc + ":" + cnonce + ":auth:" + ha2);
            sb.append(", response=\"").append(response).append("\", algorithm=").append(algorithm)
                    .append(", cnonce=\"").append(cnonce).append("\", qop=auth, nc=").append(nc);
        } else {
            sb.append(", response=\"").append(hash(hashName, ha1 + ":" + nonce + ":" + ha2)).append("\", algorithm=").append(algorithm);
        }
        String opaque = p.get("opaque");
        if (opaque != null) sb.append(", opaque=\"").append(opaque).append('"');
        return sb.toString();
    }

    /** Parses {@code Digest k=v, k="v", ...} into lower-case keys; quoted values may hold commas. */
    static Map<String, String> parse(String challenge) {
        String s = challenge.trim();
        if (!s.regionMatches(true, 0, "Digest", 0, 6)) throw new IllegalArgumentException("not a Digest challenge");
        Map<String, String> out = new HashMap<>();
        int i = 6;
        while (i < s.length()) {
            while (i < s.length() && (s.charAt(i) == ' ' || s.charAt(i) == ',' || s.charAt(i) == '\t')) i++;
            int eq = s.indexOf('=', i);
            if (eq < 0) break;
            String key = s.substring(i, eq).trim().toLowerCase(Locale.ROOT);
            i = eq + 1;
            StringBuilder v = new StringBuilder();
            if (i < s.length() && s.charAt(i) == '"') {
                i++;
                while (i < s.length() && s.charAt(i) != '"') {
                    if (s.charAt(i) == '\\' && i + 1 < s.length()) i++;
                    v.append(s.charAt(i++));
                }
                i++;
            } else {
                while (i < s.length() && s.charAt(i) != ',') v.append(s.charAt(i++));
            }
            out.put(key, v.toString().trim());
        }
        for (String v : out.values()) HeaderSafety.require("challenge", v);
        return out;
    }

    static String hash(String algorithm, String input) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(input.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(algorithm + " missing from the JDK", e);
        }
    }

    @Override
    public String toString() {
        return "DigestClient[user=" + user + "]";
    }
}
