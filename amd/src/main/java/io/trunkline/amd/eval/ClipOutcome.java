package io.trunkline.amd.eval;

import io.trunkline.amd.AmdResult;
import io.trunkline.amd.beep.Beep;

/**
 * What the detector made of one clip.
 *
 * @param file WAV file name
 * @param label the expected outcome, or null when the clip is not labelled
 * @param result the first verdict (what a sync-mode call acts on)
 * @param revised the verdict a beep revised it to soon after, or null when it stood
 * @param beep the beep reported after a MACHINE verdict, or null
 * @param scannedBeep the first beep a beep detector finds over the whole clip regardless of the verdict (to count
 *     false beeps on human clips, where the live pipeline stops listening), or null
 */
public record ClipOutcome(String file, ClipLabel label, AmdResult result, AmdResult revised, Beep beep, Beep scannedBeep) {

    /** True when the verdict matches a labelled clip on the human vs machine split (SILENCE counts as machine). */
    public boolean correct() {
        return correct(result);
    }

    /** Like {@link #correct()} for the final verdict, the revised one when there is one. */
    public boolean correctAfterRevision() {
        return correct(revised != null ? revised : result);
    }

    private boolean correct(AmdResult r) {
        if (label == null) {
            return false;
        }
        return switch (r.verdict()) {
            case HUMAN -> label.label().isHuman();
            case MACHINE, SILENCE -> !label.label().isHuman();
            case NOT_SURE -> false;
        };
    }
}
