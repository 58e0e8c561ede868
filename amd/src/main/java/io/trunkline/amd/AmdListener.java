package io.trunkline.amd;

import io.trunkline.amd.beep.Beep;

/** Receives the detector's outcomes, on the thread that feeds it frames. */
public interface AmdListener {

    /** The verdict, once per call. */
    void onVerdict(AmdResult result);

    /**
     * After a MACHINE verdict: the beep, or null when none came within {@code beep_wait}. Called once per
     * call, and only after a MACHINE verdict.
     *
     * @param beep the beep, or null for "no beep"
     * @param atMs when this was known, ms from answer
     */
    default void onBeep(Beep beep, int atMs) {}
}
