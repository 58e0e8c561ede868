package io.trunkline.amd;

/**
 * Word and silence counting after Asterisk's app_amd, fed one VAD decision per 20 ms frame.
 *
 * <p>A word starts once voice has lasted {@code minimum_word_length} and ends after
 * {@code between_words_silence} of non-voice; shorter gaps are bridged (hangover), so one odd frame never
 * flips the state. The first word starts the greeting. Rules, checked on every frame:
 * <ul>
 *   <li>no word by {@code initial_silence}: SILENCE;</li>
 *   <li>a greeting followed by {@code after_greeting_silence} (260 ms more after a greeting spanning 1.2 s or
 *       more): HUMAN, unless its voiced time passed {@code initial_greeting} over more than 3 s, a pause in an
 *       announcement: MACHINE (LONG_GREETING);</li>
 *   <li>more than {@code maximum_words} words: MACHINE (MAX_WORDS);</li>
 *   <li>a word reaching {@code maximum_speech_length}: MACHINE (MAX_WORD_LENGTH);</li>
 *   <li>the greeting's voiced time past {@code initial_greeting} <em>and</em> the callee then starting another word,
 *       or still talking (or pausing after more than 3 s of greeting) when {@code machine_detection_time} runs out:
 *       MACHINE (LONG_GREETING);</li>
 *   <li>{@code machine_detection_time} reached in a silence of 200 ms or more after a greeting of at most 3 s:
 *       HUMAN (a long sentence after a long initial silence: the callee has stopped to listen);</li>
 *   <li>{@code machine_detection_time} reached otherwise: NOT_SURE (TOO_LONG).</li>
 * </ul>
 * Every rule is decided by {@code machine_detection_time} at the latest.
 *
 * <p>Asterisk declares LONG_GREETING the moment the voiced time passes the limit. That misjudges the person who
 * answers with one longer sentence ("Hi, Peter here, what can I do for you?") and then stops to listen: the
 * commonest way people get hung up on. A machine past the limit keeps talking (or beeps), so waiting for its
 * next word costs only machine-side latency, which does not matter since a message waits for the beep anyway.
 *
 * <p>Why the longer wait after a long greeting: a person's 2-2.7 s sentence and a short voicemail greeting last
 * the same; what tells them apart is what follows, and a voicemail's beep comes 0.2-1 s after its last word.
 * Waiting 960 ms instead of 700 there catches most of those beeps before a HUMAN verdict while keeping a
 * person's verdict within about a second of their last word; short greetings ("Hello?") keep the short wait.
 * A beep after that still revises the verdict (see {@link AnsweringMachineDetector}).
 *
 * <p>Not thread-safe; allocates only the result, once.
 */
public final class AmdStateMachine {

    /** Duration of one frame. */
    public static final int FRAME_MS = 20;

    private final int machineDetectionTimeMs;
    private final int initialSilenceMs;
    private final int initialGreetingMs;
    private final int maximumWords;
    private final int maximumSpeechLengthMs;
    private final int afterGreetingSilenceMs;
    private final int minimumWordLengthMs;
    private final int betweenWordsSilenceMs;

    /**
     * A greeting spanning this long (first word to end of the last) is either a person's whole sentence or a short
     * voicemail greeting, and only what follows tells them apart: the voicemail beeps, typically 0.2-1 s after its
     * last word, or goes on after a pause.
     */
    static final int LONG_GREETING_SPAN_MS = 1200;
    /** Extra silence awaited after such a greeting, so that a beep that soon is heard before a HUMAN verdict. */
    static final int BEEP_LISTEN_MS = 260;
    /** Silence after the greeting that, at machine_detection_time, says the callee stopped to listen. */
    static final int DEADLINE_SILENCE_MS = 200;
    /** Longest greeting span taken for a person's at the deadline: a long sentence, not an announcement with pauses. */
    static final int DEADLINE_HUMAN_SPAN_MS = 3000;

    private int elapsedMs;
    private int voiceRunMs;
    private int silenceRunMs;
    private boolean inWord;
    private boolean inGreeting;
    private int words;
    private int currentWordMs;
    private int longestWordMs;
    private int totalSpeechMs;
    private int greetingVoiceMs;
    private int greetingStartMs = -1;
    private AmdResult result;

    public AmdStateMachine(AmdParameters p) {
        machineDetectionTimeMs = p.machineDetectionTimeMs();
        initialSilenceMs = p.initialSilenceMs();
        initialGreetingMs = p.initialGreetingMs();
        maximumWords = p.maximumWords();
        maximumSpeechLengthMs = p.maximumSpeechLengthMs();
        afterGreetingSilenceMs = p.afterGreetingSilenceMs();
        minimumWordLengthMs = p.minimumWordLengthMs();
        betweenWordsSilenceMs = p.betweenWordsSilenceMs();
    }

    /**
     * Advances by one 20 ms frame.
     *
     * @param voice the VAD decision for the frame
     * @return the result once decided (the same object on later calls), else null
     */
    public AmdResult onFrame(boolean voice) {
        if (result != null) {
            return result;
        }
        elapsedMs += FRAME_MS;
        if (voice) {
            onVoice();
        } else {
            onSilence();
        }
        if (result == null && elapsedMs >= machineDetectionTimeMs) {
            if (greetingVoiceMs >= initialGreetingMs && (inWord || greetingSpanMs() > DEADLINE_HUMAN_SPAN_MS)) {
                // still talking, or pausing in an announcement longer than any person's sentence
                decide(AmdVerdict.MACHINE, AmdCause.LONG_GREETING);
            } else if (inGreeting && !inWord && silenceRunMs >= DEADLINE_SILENCE_MS
                    && greetingSpanMs() <= DEADLINE_HUMAN_SPAN_MS) {
                // out of time in the silence after a greeting that no rule called a machine's: the callee has
                // stopped to listen, as a person does (a long sentence after a long initial silence)
                decide(AmdVerdict.HUMAN, AmdCause.HUMAN_GREETING_THEN_SILENCE);
            } else {
                decide(AmdVerdict.NOT_SURE, AmdCause.TOO_LONG);
            }
        }
        return result;
    }

    /** From the first word to the end of the last voiced frame. */
    private int greetingSpanMs() {
        return elapsedMs - silenceRunMs - greetingStartMs;
    }

    /** The silence that must follow the greeting for a person's verdict: longer after a long greeting. */
    private int silenceForHuman() {
        return greetingSpanMs() >= LONG_GREETING_SPAN_MS ? afterGreetingSilenceMs + BEEP_LISTEN_MS : afterGreetingSilenceMs;
    }

    /** A beep was heard: decides MACHINE unless already decided. */
    public AmdResult onBeep() {
        if (result == null) {
            decide(AmdVerdict.MACHINE, AmdCause.BEEP);
        }
        return result;
    }

    /** The audio ended (the callee hung up, or a recording ran out) before a decision: NOT_SURE (TOO_LONG). */
    public AmdResult onEndOfAudio() {
        if (result == null) {
            decide(AmdVerdict.NOT_SURE, AmdCause.TOO_LONG);
        }
        return result;
    }

    /** The result, or null while undecided. */
    public AmdResult result() {
        return result;
    }

    private void onVoice() {
        voiceRunMs += FRAME_MS;
        silenceRunMs = 0;
        totalSpeechMs += FRAME_MS;
        if (inGreeting) {
            greetingVoiceMs += FRAME_MS;
        }
        if (inWord) {
            currentWordMs += FRAME_MS;
        } else if (voiceRunMs >= minimumWordLengthMs) {
            startWord();
            if (result != null) {
                return;
            }
        }
        if (inWord) {
            longestWordMs = Math.max(longestWordMs, currentWordMs);
            if (currentWordMs >= maximumSpeechLengthMs) {
                decide(AmdVerdict.MACHINE, AmdCause.MAX_WORD_LENGTH);
            }
        }
    }

    private void startWord() {
        inWord = true;
        words++;
        currentWordMs = voiceRunMs;
        if (!inGreeting) {
            inGreeting = true;
            greetingStartMs = elapsedMs - voiceRunMs;
            greetingVoiceMs = voiceRunMs;
        } else if (greetingVoiceMs - voiceRunMs >= initialGreetingMs) {
            decide(AmdVerdict.MACHINE, AmdCause.LONG_GREETING);
            return;
        }
        if (words > maximumWords) {
            decide(AmdVerdict.MACHINE, AmdCause.MAX_WORDS);
        }
    }

    private void onSilence() {
        silenceRunMs += FRAME_MS;
        if (inWord) {
            currentWordMs += FRAME_MS;
        }
        if (silenceRunMs >= betweenWordsSilenceMs) {
            if (inWord) {
                // the bridged tail was not part of the word after all
                currentWordMs -= silenceRunMs;
                inWord = false;
            }
            voiceRunMs = 0;
        }
        if (!inGreeting && elapsedMs >= initialSilenceMs) {
            decide(AmdVerdict.SILENCE, AmdCause.INITIAL_SILENCE);
        } else if (inGreeting && silenceRunMs >= silenceForHuman()) {
            if (greetingVoiceMs >= initialGreetingMs && greetingSpanMs() > DEADLINE_HUMAN_SPAN_MS) {
                // a pause in an announcement longer than any person's sentence, not a person waiting
                decide(AmdVerdict.MACHINE, AmdCause.LONG_GREETING);
            } else {
                decide(AmdVerdict.HUMAN, AmdCause.HUMAN_GREETING_THEN_SILENCE);
            }
        }
    }

    private void decide(AmdVerdict verdict, AmdCause cause) {
        int initialSilence = greetingStartMs >= 0 ? greetingStartMs : elapsedMs;
        result = new AmdResult(verdict, cause, elapsedMs,
                new SpeechStatistics(words, totalSpeechMs, longestWordMs, greetingVoiceMs, initialSilence));
    }
}
