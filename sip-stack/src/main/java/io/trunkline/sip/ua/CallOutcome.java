package io.trunkline.sip.ua;

/** How an outbound call ended, in the terms a dialer reports. */
public enum CallOutcome {
    /** Answered, then ended by BYE from either side. */
    COMPLETED,
    /** 486 Busy Here or 600 Busy Everywhere. */
    BUSY,
    /** 408, 480, or a provisional but no final response before timer B (with no response at all it is FAILED). */
    NO_ANSWER,
    /** Refused by the far end: 603 Decline, 403, 404 and the other 4xx/6xx. */
    REJECTED,
    /** Server or transport failure: 5xx, 3xx we do not follow, connection refused. */
    FAILED,
    /** We cancelled it before answer (487, or 2xx in the CANCEL race, which we then BYE). */
    CANCELED;

    /** The outcome a final non-2xx status maps to. */
    public static CallOutcome forStatus(int status) {
        return switch (status) {
            case 486, 600 -> BUSY;
            case 408, 480 -> NO_ANSWER;
            case 487 -> CANCELED;
            default -> status >= 500 && status < 600 || status < 400 ? FAILED : REJECTED;
        };
    }

    /** Lower-case wire name used in CLI output and CDRs ("no-answer"). */
    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }
}
