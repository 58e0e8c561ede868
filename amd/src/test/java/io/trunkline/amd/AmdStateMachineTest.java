package io.trunkline.amd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
        // Asterisk would say LONGGREETING at 1500 ms of voice; a person who stops to listen is not a machine. After
        // a greeting spanning 1.2 s or more the wait is 260 ms longer, for the beep a short voicemail greeting has
        AmdResult r = script(defaults(), 200, 2600, 5000);
        assertResult(r, AmdVerdict.HUMAN, AmdCause.HUMAN_GREETING_THEN_SILENCE, 200 + 2600 + 700 + 260);
        assertEquals(2600, r.statistics().greetingMs());
    }

    @Test
    void theLongerWaitStartsAtAGreetingSpanOfOnePointTwoSeconds() {
        assertResult(script(defaults(), 200, 1180, 5000), AmdVerdict.HUMAN, AmdCause.HUMAN_GREETING_THEN_SILENCE,
                200 + 1180 + 700);
        assertResult(script(defaults(), 200, 1200, 5000), AmdVerdict.HUMAN, AmdCause.HUMAN_GREETING_THEN_SILENCE,
                200 + 1200 + 960);
    }

    @Test
    void aPauseAfterMoreThanThreeSecondsOfAnnouncementIsMachine() {
        // 1 s of voice, 0.6 s gap, 2 s of voice: past initial_greeting over 3.6 s, then silence: an announcement
        // pausing, not a person waiting (a person's sentence lasts under 3 s)
        AmdResult r = script(defaults(), 200, 1000, 600, 2000, 5000);
        assertResult(r, AmdVerdict.MACHINE, AmdCause.LONG_GREETING, 200 + 3600 + 960);
        assertEquals(2, r.statistics().words());
    }

    @Test
    void aLongSentenceEndingJustBeforeTheDeadlineIsHuman() {
        // 1.9 s of initial silence, a 2.6 s sentence: at machine_detection_time the callee has been silent 500 ms
        AmdResult r = script(defaults(), 1900, 2600, 5000);
        assertResult(r, AmdVerdict.HUMAN, AmdCause.HUMAN_GREETING_THEN_SILENCE, 5000);
        // 100 ms of silence is still within the word (bridged): still talking, past initial_greeting
        assertResult(script(defaults(), 2300, 2600, 5000), AmdVerdict.MACHINE, AmdCause.LONG_GREETING, 5000);
    }

    @Test
    void machineDetectionTimeBoundsEveryVerdict() {
        AmdParameters p = AmdParameters.parse(List.of("machine_detection_time=3000"));
        int[][] scripts = {{200, 2700, 5000}, {200, 2600, 5000}, {200, 1100, 5000}, {2900, 100, 5000}, {200, 300, 2600}};
        for (int[] s : scripts) {
            AmdResult r = script(new AmdStateMachine(p), s);
            assertTrue(r.decisionMs() <= 3000, java.util.Arrays.toString(s) + ": " + r);
        }
        // a 2.6 s sentence ending at 2.8 s: out of time 200 ms into the pause, taken for a person's
        assertResult(script(new AmdStateMachine(p), 200, 2600, 5000), AmdVerdict.HUMAN,
                AmdCause.HUMAN_GREETING_THEN_SILENCE, 3000);
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
        // six 200 ms words 600 ms apart: never 700 ms of silence, never 1500 ms of greeting, and a greeting
        // spanning more than 3 s: neither a person's sentence nor a long machine greeting
        AmdResult r = script(sm, 400, 200, 600, 200, 600, 200, 600, 200, 600, 200, 600, 200, 2000);
        assertResult(r, AmdVerdict.NOT_SURE, AmdCause.TOO_LONG, 5000);
        assertEquals(6, r.statistics().words());
        assertEquals(1200, r.statistics().totalSpeechMs());
    }

    @Test
    void gapsShorterThanBetweenWordsSilenceAreBridged() {
        // one silent frame, then a 160 ms gap (< 180 ms): still one word
        AmdResult one = script(defaults(), 400, 300, 20, 300, 160, 300, 5000);
        assertEquals(AmdVerdict.HUMAN, one.verdict());
        assertEquals(1, one.statistics().words());
        assertEquals(300 + 20 + 300 + 160 + 300, one.statistics().longestWordMs());
        // a 180 ms gap ends the word
        AmdResult two = script(defaults(), 400, 300, 180, 300, 5000);
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
