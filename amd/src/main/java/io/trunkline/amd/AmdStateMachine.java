package io.trunkline.amd;

/**
 * Word and silence counting after Asterisk's app_amd, fed one VAD decision per 20 ms frame.
 *
 * <p>A word starts once voice has lasted {@code minimum_word_length} and ends after
 * {@code between_words_silence} of non-voice; shorter gaps are bridged (hangover), so one odd frame never
 * flips the state. The first word starts the greeting. Rules, checked on every frame:
 * <ul>
 *   <li>no word by {@code initial_silence}: SILENCE;</li>
 *   <li>a greeting followed by {@code after_greeting_silence}: HUMAN;</li>
 *   <li>more than {@code maximum_words} words: MACHINE (MAX_WORDS);</li>
 *   <li>a word reaching {@code maximum_speech_length}: MACHINE (MAX_WORD_LENGTH);</li>
 *   <li>the greeting's voiced time past {@code initial_greeting} <em>and</em> the callee then starting another word,
 *       or still talking when {@code machine_detection_time} runs out: MACHINE (LONG_GREETING);</li>
 *   <li>{@code machine_detection_time} reached otherwise: NOT_SURE (TOO_LONG).</li>
 * </ul>
 * Asterisk declares LONG_GREETING the moment the voiced time passes the limit. That misjudges the person who
 * answers with one longer sentence ("Hi, Peter here, what can I do for you?") and then stops to listen: the
 * commonest way people get hung up on. A machine past the limit keeps talking (or beeps), so waiting for its
 * next word costs only machine-side latency, which does not matter since a message waits for the beep anyway.
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
            if (inWord && greetingVoiceMs >= initialGreetingMs) {
                decide(AmdVerdict.MACHINE, AmdCause.LONG_GREETING);
            } else {
                decide(AmdVerdict.NOT_SURE, AmdCause.TOO_LONG);
            }
        }
        return result;
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
        } else if (inGreeting && silenceRunMs >= afterGreetingSilenceMs) {
            decide(AmdVerdict.HUMAN, AmdCause.HUMAN_GREETING_THEN_SILENCE);
        }
    }

    private void decide(AmdVerdict verdict, AmdCause cause) {
        int initialSilence = greetingStartMs >= 0 ? greetingStartMs : elapsedMs;
        result = new AmdResult(verdict, cause, elapsedMs,
                new SpeechStatistics(words, totalSpeechMs, longestWordMs, greetingVoiceMs, initialSilence));
    }
}
