package io.trunkline.amd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The rules on synthetic VAD decision sequences (defaults unless a test says otherwise). */
class AmdStateMachineTest {

    /** Feeds {@code ms} of frames of one kind; returns the result if one was reached. */
    private static AmdResult feed(AmdStateMachine sm, boolean voice, int ms) {
        AmdResult r = null;
        for (int t = 0; t < ms && r == null; t += AmdStateMachine.FRAME_MS) {
            r = sm.onFrame(voice);
        }
        return r;
    }

    /** Feeds alternating silence/voice durations, starting with silence; returns the first result. */
    private static AmdResult script(AmdStateMachine sm, int... silenceVoiceMs) {
        for (int i = 0; i < silenceVoiceMs.length; i++) {
            AmdResult r = feed(sm, i % 2 == 1, silenceVoiceMs[i]);
            if (r != null) {
                return r;
            }
        }
        return null;
    }

    private static AmdStateMachine defaults() {
        return new AmdStateMachine(AmdParameters.defaults());
    }

    private static void assertResult(AmdResult r, AmdVerdict verdict, AmdCause cause, int decisionMs) {
        assertEquals(verdict, r.verdict(), r.toString());
        assertEquals(cause, r.cause(), r.toString());
        assertEquals(decisionMs, r.decisionMs(), r.toString());
    }

    @Test
    void nothingSaidIsSilence() {
        AmdStateMachine sm = defaults();
        assertNull(feed(sm, false, 4480));
        AmdResult r = feed(sm, false, 20);
        assertResult(r, AmdVerdict.SILENCE, AmdCause.INITIAL_SILENCE, 4500);
        assertEquals(new SpeechStatistics(0, 0, 0, 0, 4500), r.statistics());
    }

    @Test
    void blipsShorterThanAWordAreNotAGreeting() {
        AmdStateMachine sm = defaults();
        AmdResult r = null;
        while (r == null) {
            r = script(sm, 200, 80); // clicks: 80 ms of voice every 280 ms
        }
        assertEquals(AmdVerdict.SILENCE, r.verdict());
        assertEquals(0, r.statistics().words());
    }

    @Test
    void shortGreetingThenSilenceIsHuman() {
        AmdResult r = script(defaults(), 500, 600, 5000);
        assertResult(r, AmdVerdict.HUMAN, AmdCause.HUMAN_GREETING_THEN_SILENCE, 500 + 600 + 700);
        assertEquals(new SpeechStatistics(1, 600, 600, 600, 500), r.statistics());
    }

    @Test
    void oneSentenceLongerThanTheGreetingLimitThenListeningIsHuman() {
        // Asterisk would say LONGGREETING at 1500 ms of voice; a person who stops to listen is not a machine
        AmdResult r = script(defaults(), 200, 2600, 5000);
        assertResult(r, AmdVerdict.HUMAN, AmdCause.HUMAN_GREETING_THEN_SILENCE, 200 + 2600 + 700);
        assertEquals(2600, r.statistics().greetingMs());
    }

    @Test
    void longGreetingFollowedByAnotherWordIsMachine() {
        AmdResult r = script(defaults(), 200, 1600, 300, 1000);
        assertResult(r, AmdVerdict.MACHINE, AmdCause.LONG_GREETING, 200 + 1600 + 300 + 100);
        assertEquals(2, r.statistics().words());
    }

    @Test
    void stillTalkingPastTheGreetingLimitAtTheDeadlineIsMachine() {
        AmdResult r = script(defaults(), 200, 6000);
        assertResult(r, AmdVerdict.MACHINE, AmdCause.LONG_GREETING, 5000);
        assertEquals(4800, r.statistics().longestWordMs());
    }

    @Test
    void moreWordsThanTheMaximumIsMachine() {
        AmdResult r = script(defaults(), 200, 300, 300, 300, 300, 300, 300, 300);
        assertResult(r, AmdVerdict.MACHINE, AmdCause.MAX_WORDS, 200 + 3 * 600 + 100);
        assertEquals(4, r.statistics().words());
    }

    @Test
    void aWordReachingTheMaximumSpeechLengthIsMachine() {
        AmdStateMachine sm = new AmdStateMachine(AmdParameters.parse(List.of("maximum_speech_length=2000")));
        AmdResult r = script(sm, 200, 6000);
        assertResult(r, AmdVerdict.MACHINE, AmdCause.MAX_WORD_LENGTH, 2200);
        assertEquals(2000, r.statistics().longestWordMs());
    }

    @Test
    void undecidedAtTheDeadlineIsNotSure() {
        AmdStateMachine sm = new AmdStateMachine(AmdParameters.parse(List.of("maximum_words=10")));
        // four 400 ms words 600 ms apart: never 700 ms of silence, never 1500 ms of greeting before a new word
        AmdResult r = script(sm, 1000, 400, 600, 400, 600, 400, 600, 400, 2000);
        assertResult(r, AmdVerdict.NOT_SURE, AmdCause.TOO_LONG, 5000);
        assertEquals(4, r.statistics().words());
        assertEquals(1600, r.statistics().totalSpeechMs());
    }

    @Test
    void gapsShorterThanBetweenWordsSilenceAreBridged() {
        // one silent frame, then a 140 ms gap (< 160 ms): still one word
        AmdResult one = script(defaults(), 400, 300, 20, 300, 140, 300, 5000);
        assertEquals(AmdVerdict.HUMAN, one.verdict());
        assertEquals(1, one.statistics().words());
        assertEquals(300 + 20 + 300 + 140 + 300, one.statistics().longestWordMs());
        // a 160 ms gap ends the word
        AmdResult two = script(defaults(), 400, 300, 160, 300, 5000);
        assertEquals(2, two.statistics().words());
    }

    @Test
    void aSingleVoiceFrameDoesNotStartTheGreeting() {
        AmdResult r = script(defaults(), 1000, 20, 5000);
        assertResult(r, AmdVerdict.SILENCE, AmdCause.INITIAL_SILENCE, 4500);
    }

    @Test
    void aBeepBeforeAnyRuleIsMachine() {
        AmdStateMachine sm = defaults();
        script(sm, 300, 1200, 100);
        AmdResult r = sm.onBeep();
        assertResult(r, AmdVerdict.MACHINE, AmdCause.BEEP, 1600);
        assertSame(r, sm.onFrame(false));
    }

    @Test
    void theVerdictNeverChangesOnceDecided() {
        AmdStateMachine sm = defaults();
        AmdResult r = script(sm, 500, 600, 5000);
        assertSame(r, sm.onFrame(true));
        assertSame(r, sm.onBeep());
        assertSame(r, sm.onEndOfAudio());
        assertSame(r, sm.result());
    }

    @Test
    void audioEndingUndecidedIsNotSure() {
        AmdStateMachine sm = defaults();
        script(sm, 300, 500, 200);
        assertResult(sm.onEndOfAudio(), AmdVerdict.NOT_SURE, AmdCause.TOO_LONG, 1000);
    }
}
