package io.trunkline.amd.eval;

/**
 * One row of a labels file. Times are ms from the start of the file (the answer); null when not applicable.
 *
 * @param file WAV file name
 * @param label expected class
 * @param speechEndMs end of the last spoken segment
 * @param beepEndMs end of the beep's last tone
 * @param kind the sub-kind within the class (e.g. {@code long}, {@code short}, {@code carrier}), or null when the
 *     labels do not say
 */
public record ClipLabel(String file, Label label, Integer speechStartMs, Integer speechEndMs, Integer beepStartMs,
        Integer beepEndMs, String kind) {

    /** Expected class of a clip. */
    public enum Label {
        HUMAN, MACHINE, SILENCE;

        /** Human vs machine-side, the split the accuracy figure uses (silence counts as machine). */
        public boolean isHuman() {
            return this == HUMAN;
        }

        public String key() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }
}
