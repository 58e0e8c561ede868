package io.trunkline.engine;

/** A call's life: queued -> dialing -> ringing -> in-progress -> ended (any state may jump to ended). */
public enum CallState {
    QUEUED, DIALING, RINGING, IN_PROGRESS, ENDED;

    public String wireName() { return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'); }
}
