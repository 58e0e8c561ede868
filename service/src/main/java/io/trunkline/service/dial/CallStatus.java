package io.trunkline.service.dial;

import io.trunkline.engine.EndReason;

/** The API's call statuses (the vocabulary of hosted dialer APIs) and how the engine's end reasons map onto them. */
public final class CallStatus {
    public static final String QUEUED = "queued";
    public static final String SCHEDULED = "scheduled";
    public static final String DIALING = "dialing";
    public static final String RINGING = "ringing";
    public static final String IN_PROGRESS = "in-progress";
    public static final String COMPLETED = "completed";
    public static final String BUSY = "busy";
    public static final String NO_ANSWER = "no-answer";
    public static final String VOICEMAIL = "voicemail";
    public static final String FAILED = "failed";
    public static final String CANCELED = "canceled";
    public static final String EXPIRED = "expired";

    public static final java.util.Set<String> ALL = java.util.Set.of(QUEUED, SCHEDULED, DIALING, RINGING, IN_PROGRESS,
            COMPLETED, BUSY, NO_ANSWER, VOICEMAIL, FAILED, CANCELED, EXPIRED);

    private CallStatus() {}

    /** The final status for an engine end reason. A time limit is a completed call; a rejection is a failed one. */
    public static String of(EndReason reason) {
        return switch (reason) {
            case COMPLETED, TIME_LIMIT -> COMPLETED;
            case BUSY -> BUSY;
            case NO_ANSWER -> NO_ANSWER;
            case VOICEMAIL -> VOICEMAIL;
            case CANCELED -> CANCELED;
            case EXPIRED -> EXPIRED;
            case FAILED, REJECTED, RATE_LIMITED -> FAILED;
        };
    }
}
