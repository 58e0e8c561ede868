package io.trunkline.amd;

/** The rule that produced an {@link AmdVerdict}. */
public enum AmdCause {
    /** No word before {@code initial_silence} (verdict SILENCE). */
    INITIAL_SILENCE,
    /** The greeting was longer than {@code initial_greeting} and went on (verdict MACHINE). */
    LONG_GREETING,
    /** More words than {@code maximum_words} (verdict MACHINE). */
    MAX_WORDS,
    /** One word reached {@code maximum_speech_length} (verdict MACHINE). */
    MAX_WORD_LENGTH,
    /** A greeting followed by {@code after_greeting_silence} (verdict HUMAN). */
    HUMAN_GREETING_THEN_SILENCE,
    /** {@code machine_detection_time} ran out (verdict NOT_SURE). */
    TOO_LONG,
    /** A voicemail beep was heard before any other rule decided (verdict MACHINE). */
    BEEP,
    /**
     * A beep soon after a HUMAN or NOT_SURE verdict revised it (verdict MACHINE, reported as a second verdict):
     * a short voicemail greeting that paused before its beep.
     */
    BEEP_AFTER_VERDICT
}
