package io.trunkline.engine;

import io.trunkline.sip.ua.CallOutcome;

import java.util.Locale;

/** Why a call ended, in the dialer-API vocabulary. */
public enum EndReason {
    COMPLETED, BUSY, NO_ANSWER, FAILED, CANCELED, REJECTED, VOICEMAIL, TIME_LIMIT, RATE_LIMITED,
    /** Still queued when its deadline passed: never dialled. */
    EXPIRED;

    public String wireName() { return name().toLowerCase(Locale.ROOT).replace('_', '-'); }

    static EndReason of(CallOutcome outcome) {
        return switch (outcome) {
            case COMPLETED -> COMPLETED;
            case BUSY -> BUSY;
            case NO_ANSWER -> NO_ANSWER;
            case REJECTED -> REJECTED;
            case FAILED -> FAILED;
            case CANCELED -> CANCELED;
        };
    }
}
