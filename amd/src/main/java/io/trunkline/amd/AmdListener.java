package io.trunkline.amd;

import io.trunkline.amd.beep.Beep;

/** Receives the detector's outcomes, on the thread that feeds it frames. */
public interface AmdListener {

    /**
     * The verdict: once per call, or twice when a beep right after a HUMAN or NOT_SURE verdict revises it to
     * MACHINE (cause {@link AmdCause#BEEP_AFTER_VERDICT}; {@link #onBeep} follows).
     */
    void onVerdict(AmdResult result);

    /**
     * After a MACHINE verdict: the beep, or null when none came within {@code beep_wait}. Called once per
     * call, and only after a MACHINE verdict (a revised one included).
     *
     * @param beep the beep, or null for "no beep"
     * @param atMs when this was known, ms from answer
     */
    default void onBeep(Beep beep, int atMs) {}
}
