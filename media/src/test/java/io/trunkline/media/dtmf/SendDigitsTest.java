package io.trunkline.media.dtmf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SendDigitsTest {

    /** "1:100 w:500 2:100" style rendering of the steps. */
    static String steps(SendDigits d) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < d.steps(); i++) {
            b.append(i == 0 ? "" : " ").append(d.isWait(i) ? "w" : String.valueOf(DtmfEvents.digit(d.event(i))))
                    .append(':').append(d.lengthMs(i));
        }
        return b.toString();
    }

    @Test
    void digitsAndWaits() {
        assertEquals("1:100 w:500 2:100 w:1000 3:100", steps(SendDigits.parse("1w2W3")));
        assertEquals("0:100 1:100 2:100 3:100 4:100 5:100 6:100 7:100 8:100 9:100 *:100 #:100 A:100 B:100 C:100 D:100",
                steps(SendDigits.parse("0123456789*#ABCD")));
        assertEquals("w:500 w:500 5:100", steps(SendDigits.parse("ww5")));
        assertEquals("1w2W3", SendDigits.parse("1w2W3").toString());
        assertEquals("123", SendDigits.parse("1w2W3").digits());
    }

    @Test
    void atMsSetsTheLengthOfEveryDigitSinceTheStartOrThePreviousAt() {
        assertEquals("1:1000 2:1000 3:1000", steps(SendDigits.parse("123@1000")));
        assertEquals("1:200 2:200 w:500 3:100 4:100", steps(SendDigits.parse("12@200w34")));
        assertEquals("1:200 w:500 2:200", steps(SendDigits.parse("1w2@200")), "waits do not end the group");
        assertEquals("1:40 w:500 2:5000 w:500 3:100", steps(SendDigits.parse("1@40w2@5000w3")));
        assertEquals("1:402", steps(SendDigits.parse("1@402")), "the number runs to the next non-digit");
        assertEquals("1:1002", steps(SendDigits.parse("1@1002")));
        assertEquals("1:300 w:1000 2:60", steps(SendDigits.parse("1@300W2@60")));
    }

    @Test
    void badInputNamesThePositionAndWhatIsAllowed() {
        assertEquals("send_digits: invalid character 'x' at position 3; allowed: 0-9 * # A-D, w (0.5 s wait),"
                + " W (1 s wait), @<ms> tone length 40..5000", message("12x"));
        assertTrue(message("1a").startsWith("send_digits: invalid character 'a' at position 2;"));
        assertTrue(message("1 2").startsWith("send_digits: invalid character ' ' at position 2;"));
        assertEquals("send_digits: '@' at position 1 has no digit before it to apply to", message("@100"));
        assertEquals("send_digits: '@' at position 6 has no digit before it to apply to", message("1@100@200"));
        assertEquals("send_digits: '@' at position 3 has no digit before it to apply to", message("ww@200"));
        assertEquals("send_digits: '@' at position 2 must be followed by the tone length in ms (40..5000)",
                message("1@"));
        assertEquals("send_digits: '@' at position 2 must be followed by the tone length in ms (40..5000)",
                message("1@w"));
        assertEquals("send_digits: tone length 39 ms at position 3 is out of range; allowed 40..5000 ms",
                message("1@39"));
        assertEquals("send_digits: tone length 5001 ms at position 3 is out of range; allowed 40..5000 ms",
                message("1@5001"));
        assertEquals("send_digits: tone length 99999999999 ms at position 3 is out of range; allowed 40..5000 ms",
                message("1@99999999999"));
        assertTrue(message("").startsWith("send_digits is empty;"));
        assertEquals("send_digits is 513 characters, at most 512 allowed", message("1".repeat(513)));
    }

    private static String message(String text) {
        return assertThrows(IllegalArgumentException.class, () -> SendDigits.parse(text)).getMessage();
    }
}
