package io.trunkline.amd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AmdParametersTest {

    @Test
    void userFacingDefaultsAreTheDialerContract() {
        AmdParameters p = AmdParameters.defaults();
        assertEquals(5000, p.machineDetectionTimeMs());
        assertEquals(4500, p.initialSilenceMs());
        assertEquals(1500, p.initialGreetingMs());
        assertEquals(3, p.maximumWords());
        assertEquals(5000, p.maximumSpeechLengthMs());
    }

    @ParameterizedTest
    @CsvSource({
        "machine_detection_time, 2000, 10000, ms",
        "initial_silence, 2000, 10000, ms",
        "initial_greeting, 1000, 5000, ms",
        "maximum_words, 2, 10, ''",
        "maximum_speech_length, 1000, 6000, ms",
        "after_greeting_silence, 300, 5000, ms",
        "minimum_word_length, 40, 500, ms",
        "between_words_silence, 20, 1000, ms",
        "vad_mode, 0, 3, ''",
        "beep_wait, 1000, 30000, ms",
    })
    void rangesAreEnforcedWithTheNameAndRange(String name, int min, int max, String unit) {
        AmdParameter param = AmdParameter.byKey(name);
        String range = name + " must be " + min + ".." + max + (unit.isEmpty() ? "" : " " + unit);
        if (param != AmdParameter.BETWEEN_WORDS_SILENCE && param != AmdParameter.AFTER_GREETING_SILENCE) {
            assertEquals(min, AmdParameters.defaults().with(param, min).get(param));
            assertEquals(max, AmdParameters.defaults().with(param, max).get(param));
        }
        assertEquals(range + ", got " + (min - 1), assertThrows(IllegalArgumentException.class,
                () -> AmdParameters.parse(List.of(name + "=" + (min - 1)))).getMessage());
        assertEquals(range + ", got " + (max + 1), assertThrows(IllegalArgumentException.class,
                () -> AmdParameters.parse(List.of(name + "=" + (max + 1)))).getMessage());
    }

    @Test
    void theIssueExampleMessage() {
        assertEquals("initial_silence must be 2000..10000 ms, got 100", assertThrows(IllegalArgumentException.class,
                () -> AmdParameters.parse(List.of("initial_silence=100"))).getMessage());
    }

    @Test
    void parsesNameValueSettingsOnTopOfDefaults() {
        AmdParameters p = AmdParameters.parse(List.of("initial_silence=3000", " MAXIMUM_WORDS = 5 ", "vad-mode=3"));
        assertEquals(3000, p.initialSilenceMs());
        assertEquals(5, p.maximumWords());
        assertEquals(3, p.vadMode());
        assertEquals(1500, p.initialGreetingMs());
        assertEquals(AmdParameters.defaults(), AmdParameters.parse(List.of()));
    }

    @Test
    void rejectsMalformedSettings() {
        assertEquals("AMD parameter setting must be NAME=VALUE, got 'initial_silence'",
                assertThrows(IllegalArgumentException.class, () -> AmdParameters.parse(List.of("initial_silence")))
                        .getMessage());
        assertEquals("initial_greeting must be an integer 1000..5000 ms, got 'long'",
                assertThrows(IllegalArgumentException.class, () -> AmdParameters.parse(List.of("initial_greeting=long")))
                        .getMessage());
        String unknown = assertThrows(IllegalArgumentException.class,
                () -> AmdParameters.parse(List.of("greeting=1500"))).getMessage();
        assertEquals(true, unknown.startsWith("unknown AMD parameter 'greeting'; known: machine_detection_time,"), unknown);
    }

    @Test
    void betweenWordsSilenceMustStayBelowAfterGreetingSilence() {
        assertEquals("between_words_silence must be less than after_greeting_silence (700 ms), got 700",
                assertThrows(IllegalArgumentException.class,
                        () -> AmdParameters.parse(List.of("between_words_silence=700"))).getMessage());
    }
}
