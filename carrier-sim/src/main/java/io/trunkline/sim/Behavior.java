package io.trunkline.sim;

import java.util.Locale;

/** What the simulated callee does with a call, and the final response it implies. */
public enum Behavior {
    /** Rings, answers with 200, then holds (or hangs up after the scenario's hold time). */
    ANSWER(200, "OK"),
    /** 486 Busy Here. */
    BUSY(486, "Busy Here"),
    /** Rings until the no-answer timeout, then 480 Temporarily Unavailable. */
    NO_ANSWER(480, "Temporarily Unavailable"),
    /** 603 Decline. */
    DECLINE(603, "Decline"),
    /** 503 Service Unavailable with Retry-After, as an overloaded carrier answers. */
    UNAVAILABLE(503, "Service Unavailable");

    public final int status;
    public final String reason;

    Behavior(int status, String reason) {
        this.status = status;
        this.reason = reason;
    }

    public String wireName() { return name().toLowerCase(Locale.ROOT).replace('_', '-'); }

    public static Behavior parse(String s) {
        for (Behavior b : values()) if (b.wireName().equalsIgnoreCase(s.trim())) return b;
        throw new IllegalArgumentException("behavior must be one of answer, busy, no-answer, decline, unavailable; got '" + s + "'");
    }
}
