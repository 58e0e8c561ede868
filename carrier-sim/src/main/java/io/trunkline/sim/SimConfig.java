package io.trunkline.sim;

import io.trunkline.sip.stir.StirVerifier;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How the simulated trunk behaves.
 *
 * @param ringMs         time from INVITE to the final response (180 is sent at once)
 * @param holdMs         after answer, the callee hangs up (BYE) after this long; -1 waits for the caller's BYE
 * @param noAnswerMs     how long a NO_ANSWER call rings before 480
 * @param retryAfterSec  Retry-After on 503 (UNAVAILABLE and the CPS policer)
 * @param cpsLimit       INVITEs accepted per sliding second before 503 "CPS limit exceeded"; 0 = no policer
 * @param mix            behaviours by weight, for numbers without their own entry
 * @param byNumber       behaviour per dialled number (Request-URI user)
 * @param authUser       when set with authPassword, every INVITE is challenged with 407 (digest, qop=auth)
 * @param authPassword   the password (never logged)
 * @param realm          the digest realm
 * @param stir           when set, every INVITE's Identity header is verified as a terminating carrier does, and a
 *                       failure is answered with its RFC 8224 code (428, 436, 437, 438, 403)
 */
public record SimConfig(long ringMs, long holdMs, long noAnswerMs, int retryAfterSec, int cpsLimit,
                        Map<Behavior, Integer> mix, Map<String, Behavior> byNumber,
                        String authUser, String authPassword, String realm, StirVerifier stir) {
    public SimConfig {
        range("ringMs", ringMs, 0, 600_000);
        range("holdMs", holdMs, -1, 86_400_000);
        range("noAnswerMs", noAnswerMs, 0, 600_000);
        range("retryAfterSec", retryAfterSec, 0, 86_400);
        range("cpsLimit", cpsLimit, 0, 100_000);
        mix = Map.copyOf(mix == null || mix.isEmpty() ? Map.of(Behavior.ANSWER, 1) : mix);
        for (Map.Entry<Behavior, Integer> e : mix.entrySet()) range("mix." + e.getKey().wireName(), e.getValue(), 0, 1_000_000);
        if (mix.values().stream().mapToInt(Integer::intValue).sum() == 0) throw new IllegalArgumentException("mix weights must not all be 0");
        byNumber = Map.copyOf(byNumber == null ? Map.of() : byNumber);
        if ((authUser == null) != (authPassword == null)) throw new IllegalArgumentException("auth needs both user and password");
        if (realm == null) realm = "trunkline.sim";
    }

    private static void range(String name, long v, long min, long max) {
        if (v < min || v > max) throw new IllegalArgumentException(name + " must be " + min + ".." + max + ", got " + v);
    }

    /** Answers every call at once and waits for the caller's BYE. */
    public static SimConfig answerAll() {
        return new SimConfig(0, -1, 3000, 1, 0, Map.of(Behavior.ANSWER, 1), Map.of(), null, null, null, null);
    }

    public boolean authEnabled() { return authUser != null; }

    public SimConfig withRingMs(long v) { return new SimConfig(v, holdMs, noAnswerMs, retryAfterSec, cpsLimit, mix, byNumber, authUser, authPassword, realm, stir); }
    public SimConfig withHoldMs(long v) { return new SimConfig(ringMs, v, noAnswerMs, retryAfterSec, cpsLimit, mix, byNumber, authUser, authPassword, realm, stir); }
    public SimConfig withNoAnswerMs(long v) { return new SimConfig(ringMs, holdMs, v, retryAfterSec, cpsLimit, mix, byNumber, authUser, authPassword, realm, stir); }
    public SimConfig withCpsLimit(int v) { return new SimConfig(ringMs, holdMs, noAnswerMs, retryAfterSec, v, mix, byNumber, authUser, authPassword, realm, stir); }
    public SimConfig withRetryAfter(int v) { return new SimConfig(ringMs, holdMs, noAnswerMs, v, cpsLimit, mix, byNumber, authUser, authPassword, realm, stir); }
    public SimConfig withMix(Map<Behavior, Integer> v) { return new SimConfig(ringMs, holdMs, noAnswerMs, retryAfterSec, cpsLimit, v, byNumber, authUser, authPassword, realm, stir); }
    public SimConfig withNumber(String number, Behavior b) {
        Map<String, Behavior> m = new LinkedHashMap<>(byNumber);
        m.put(number, b);
        return new SimConfig(ringMs, holdMs, noAnswerMs, retryAfterSec, cpsLimit, mix, m, authUser, authPassword, realm, stir);
    }
    public SimConfig withAuth(String user, String password, String realm) {
        return new SimConfig(ringMs, holdMs, noAnswerMs, retryAfterSec, cpsLimit, mix, byNumber, user, password, realm, stir);
    }

    public SimConfig withStir(StirVerifier v) { return new SimConfig(ringMs, holdMs, noAnswerMs, retryAfterSec, cpsLimit, mix, byNumber, authUser, authPassword, realm, v); }

    /** Parses a mix such as "answer=70,busy=10,no-answer=10,decline=5,unavailable=5". */
    public static Map<Behavior, Integer> parseMix(String spec) {
        Map<Behavior, Integer> m = new LinkedHashMap<>();
        for (String part : spec.split(",")) {
            String[] kv = part.split("=", 2);
            if (kv.length != 2) throw new IllegalArgumentException("mix entries look like answer=70, got '" + part + "'");
            try {
                m.put(Behavior.parse(kv[0]), Integer.parseInt(kv[1].trim()));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("mix weight for " + kv[0] + " must be a whole number, got '" + kv[1] + "'");
            }
        }
        return m;
    }

    /** Behaviours in a fixed order with cumulative weights, for deterministic selection. */
    List<Map.Entry<Behavior, Integer>> cumulativeMix() {
        List<Map.Entry<Behavior, Integer>> out = new ArrayList<>();
        int sum = 0;
        for (Behavior b : Behavior.values()) {
            Integer w = mix.get(b);
            if (w == null || w == 0) continue;
            sum += w;
            out.add(Map.entry(b, sum));
        }
        return out;
    }

    @Override
    public String toString() {
        return "SimConfig[ringMs=" + ringMs + ", holdMs=" + holdMs + ", noAnswerMs=" + noAnswerMs + ", cpsLimit=" + cpsLimit
                + ", mix=" + mix + ", byNumber=" + byNumber.size() + " numbers, auth=" + (authEnabled() ? authUser + "@" + realm : "off") + "]";
    }
}
