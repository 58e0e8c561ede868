package io.trunkline.amd;

import java.util.Locale;

/**
 * The tunable AMD parameters: name as used by the dialer API and the CLI ({@code NAME=VALUE}), allowed
 * range and default. The first five are the user-facing contract (Plivo/Vobiz {@code machine_detection_*});
 * the others are internal knobs of the word and silence counting and of the beep wait.
 */
public enum AmdParameter {
    /**
     * Total analysis time from answer. A callee still talking by then after a greeting longer than
     * {@code initial_greeting} is a machine; anything else undecided is NOT_SURE (TOO_LONG).
     */
    MACHINE_DETECTION_TIME("machine_detection_time", 2000, 10000, 5000, "ms"),
    /** Silence from answer before any word; reaching it gives SILENCE. */
    INITIAL_SILENCE("initial_silence", 2000, 10000, 4500, "ms"),
    /**
     * Longest greeting (voiced time) a person is expected to say before waiting for an answer; a callee who goes on
     * to another word after that is a machine.
     */
    INITIAL_GREETING("initial_greeting", 1000, 5000, 1500, "ms"),
    /** More words (speech bursts) than this is a machine. */
    MAXIMUM_WORDS("maximum_words", 2, 10, 3, ""),
    /** Longest single word (uninterrupted speech burst); reaching it is a machine. */
    MAXIMUM_SPEECH_LENGTH("maximum_speech_length", 1000, 6000, 5000, "ms"),
    /**
     * Silence after the greeting that makes it a person. Asterisk uses 800 ms; 700 ms keeps the human
     * decision (this plus the VAD's own tail) well under 900 ms after the last word. After a greeting spanning
     * 1.2 s or more the detector waits 260 ms longer, so that the beep of a short voicemail greeting can arrive.
     */
    AFTER_GREETING_SILENCE("after_greeting_silence", 300, 5000, 700, "ms"),
    /** Voice needed to count a word; shorter blips (clicks, VAD start-up) are not words. */
    MINIMUM_WORD_LENGTH("minimum_word_length", 40, 500, 100, "ms"),
    /**
     * Silence that ends a word. It is also the hangover: shorter gaps are bridged, so commas and
     * a single unvoiced frame do not split a phrase into words.
     */
    BETWEEN_WORDS_SILENCE("between_words_silence", 20, 1000, 180, "ms"),
    /** WebRTC VAD aggressiveness, 0 (calls most frames voice) to 3. */
    VAD_MODE("vad_mode", 0, 3, 2, ""),
    /**
     * How long after a verdict to listen for the beep: after MACHINE, before reporting "no beep"; after HUMAN or
     * NOT_SURE, a beep within it revises the verdict to MACHINE (a voicemail that paused before its beep, or an
     * announcement that paused longer than a person waits).
     */
    BEEP_WAIT("beep_wait", 1000, 30000, 10000, "ms");

    private final String key;
    private final int min;
    private final int max;
    private final int defaultValue;
    private final String unit;

    AmdParameter(String key, int min, int max, int defaultValue, String unit) {
        this.key = key;
        this.min = min;
        this.max = max;
        this.defaultValue = defaultValue;
        this.unit = unit;
    }

    /** The API/CLI name, e.g. {@code initial_silence}. */
    public String key() {
        return key;
    }

    public int min() {
        return min;
    }

    public int max() {
        return max;
    }

    public int defaultValue() {
        return defaultValue;
    }

    public String unit() {
        return unit;
    }

    /** Looks a parameter up by its API name (case-insensitive, {@code -} accepted for {@code _}). */
    public static AmdParameter byKey(String name) {
        String k = name.trim().toLowerCase(Locale.ROOT).replace('-', '_');
        for (AmdParameter p : values()) {
            if (p.key.equals(k)) {
                return p;
            }
        }
        StringBuilder known = new StringBuilder();
        for (AmdParameter p : values()) {
            known.append(known.isEmpty() ? "" : ", ").append(p.key);
        }
        throw new IllegalArgumentException("unknown AMD parameter '" + name + "'; known: " + known);
    }

    /** Returns the value if it is in range, else throws naming the parameter and its range. */
    public int check(long value) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(key + " must be " + min + ".." + max + (unit.isEmpty() ? "" : " " + unit)
                    + ", got " + value);
        }
        return (int) value;
    }

    /** Parses and range-checks a textual value. */
    public int parse(String text) {
        String t = text == null ? "" : text.trim();
        long v;
        try {
            v = Long.parseLong(t);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be an integer " + min + ".." + max
                    + (unit.isEmpty() ? "" : " " + unit) + ", got '" + t + "'");
        }
        return check(v);
    }
}
