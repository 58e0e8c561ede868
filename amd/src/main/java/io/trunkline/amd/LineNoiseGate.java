package io.trunkline.amd;

/**
 * Tells speech from line noise by level: a frame counts as voice only when it stands {@link #MARGIN_DB} above the
 * line's noise floor. The WebRTC VAD alone calls coloured noise (pink, brown, hum) and the noise after an AGC-like
 * level jump voice for seconds, because its noise model adapts slowly and is tuned to white-ish noise; on generated
 * corpora that made a person's silence after "Hello?" look like more talking (LONG_GREETING at the detection
 * deadline) and dead air look like a greeting.
 *
 * <p>The floor follows the quietest frames: it drops at once to a quieter frame and rises by
 * {@link #RISE_DB_PER_FRAME} (10 dB/s), so it catches up with a level jump within a second yet stays near the noise
 * under speech, whose syllables dip between them. Frames quieter than {@link #DIGITAL_SILENCE_DB} (digital silence,
 * whose A-law rendering is ±8, -72 dBFS; packet-loss gaps filled with zeros) say nothing about the noise level: a
 * short run of them (a gap in line noise) leaves the floor alone, since dropping it would open the gate to that
 * noise for seconds; {@link #CLEAN_LINE_FRAMES} of them in a row show a clean line and set the floor to
 * {@link #CLEAN_LINE_FLOOR_DB}, so that even the soft start of the next word stands above it. The first frame of a
 * line with a level sets the floor; a line that starts in digital silence (a stream running before the callee's
 * audio arrives) starts on the clean floor, which then climbs {@link #SEEK_DB_PER_FRAME} a frame until a frame
 * falls below it, so that the line noise arriving after that silence is not taken for speech for long.
 *
 * <p>Not thread-safe; allocates nothing.
 */
final class LineNoiseGate {

    static final double MARGIN_DB = 6;
    /** Once a frame is above the margin, the next ones need only this much: weak syllable tails stay in the word. */
    static final double HOLD_MARGIN_DB = 3;
    /** A frame this far above the floor is speech even when the VAD says not (fricatives, a word's unvoiced end). */
    static final double STRONG_MARGIN_DB = 12;
    static final double RISE_DB_PER_FRAME = 0.2;
    static final double DIGITAL_SILENCE_DB = -70;
    /** Frames of digital silence in a row that show a clean line rather than a packet-loss gap (200 ms). */
    static final int CLEAN_LINE_FRAMES = 10;
    /** The floor of a clean line, below the quietest frame that is not digital silence. */
    static final double CLEAN_LINE_FLOOR_DB = -80;
    /** How fast the floor climbs from a clean start to the noise that arrives: -80 to -40 dBFS in 80 ms, less than a word. */
    static final double SEEK_DB_PER_FRAME = 10;

    private double floorDb = Double.NaN;
    /** The floor sits on a clean line's: it climbs fast until it meets the signal (the line's noise, or a dip). */
    private boolean seeking;
    private int digitalSilenceFrames;
    private boolean above;
    private boolean strong;

    /** Level of a frame in dB re full scale (RMS). */
    static double levelDb(short[] frame, int length) {
        long sum = 0;
        for (int i = 0; i < length; i++) {
            sum += frame[i] * frame[i];
        }
        return 10 * Math.log10(sum / (double) length / (32768.0 * 32768.0) + 1e-12);
    }

    /**
     * Updates the floor with one frame's level; true when the frame stands {@link #MARGIN_DB} above the floor, or
     * {@link #HOLD_MARGIN_DB} when the previous frame did.
     */
    boolean aboveNoise(double levelDb) {
        if (levelDb < DIGITAL_SILENCE_DB) {
            if (Double.isNaN(floorDb)) {
                floorDb = CLEAN_LINE_FLOOR_DB;
                seeking = true; // until the line is first heard
            } else if (++digitalSilenceFrames >= CLEAN_LINE_FRAMES && !seeking) {
                // the line was heard and fell silent: what follows is speech, not noise arriving
                floorDb = CLEAN_LINE_FLOOR_DB;
            }
            strong = false;
            above = false;
            return false;
        }
        digitalSilenceFrames = 0;
        if (Double.isNaN(floorDb) || levelDb < floorDb) {
            floorDb = levelDb;
            seeking = false;
        } else {
            floorDb += seeking ? SEEK_DB_PER_FRAME : RISE_DB_PER_FRAME;
        }
        strong = levelDb >= floorDb + STRONG_MARGIN_DB;
        above = levelDb >= floorDb + (above ? HOLD_MARGIN_DB : MARGIN_DB);
        return above;
    }

    /** The last frame stood {@link #STRONG_MARGIN_DB} above the floor: speech the VAD may miss (fricatives). */
    boolean strong() {
        return strong;
    }

    /** The noise floor in dB re full scale, NaN before the first frame. */
    double floorDb() {
        return floorDb;
    }
}
