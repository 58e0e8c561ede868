package io.trunkline.media.dtmf;

import java.util.Arrays;

/**
 * A parsed {@code send_digits} string, the dialer API's syntax for DTMF to play into a call:
 * <ul>
 *   <li>{@code 0-9 * # A-D}: a tone each, of {@link #DEFAULT_TONE_MS} unless a length is given;</li>
 *   <li>{@code w}: wait 0.5 s; {@code W}: wait 1 s (on top of the normal gap between tones);</li>
 *   <li>{@code @ms}: the tone length in milliseconds ({@value #MIN_TONE_MS}..{@value #MAX_TONE_MS}) for every
 *       digit written since the start of the string or since the previous {@code @ms}, waits notwithstanding.
 *       So {@code 123@1000} plays three 1 s tones (as in Plivo and FreeSWITCH, where one {@code @} covers the
 *       string), and {@code 12@200w34} plays 1 and 2 for 200 ms, waits, then 3 and 4 at the default length.</li>
 * </ul>
 * The length runs to the next character that is not a decimal digit: {@code 1@1002} is one 1002 ms tone, not a
 * 100 ms "1" followed by "2"; write {@code 1@100w2} or put the digit before the group instead.
 * Bad input throws {@link IllegalArgumentException} naming the 1-based position and what is allowed.
 */
public final class SendDigits {

    public static final int DEFAULT_TONE_MS = 100;
    public static final int MIN_TONE_MS = 40;
    public static final int MAX_TONE_MS = 5000;
    public static final int SHORT_WAIT_MS = 500;
    public static final int LONG_WAIT_MS = 1000;
    /** Longest string accepted: bounds what one API call can queue. */
    public static final int MAX_LENGTH = 512;

    private static final String ALLOWED = "allowed: 0-9 * # A-D, w (0.5 s wait), W (1 s wait), @<ms> tone length "
            + MIN_TONE_MS + ".." + MAX_TONE_MS;
    private static final int WAIT = -1;

    private final String text;
    /** Per step: a DTMF event code 0-15, or WAIT. */
    private final int[] events;
    /** Per step: the tone length or the wait, in ms. */
    private final int[] lengthsMs;

    private SendDigits(String text, int[] events, int[] lengthsMs) {
        this.text = text;
        this.events = events;
        this.lengthsMs = lengthsMs;
    }

    public static SendDigits parse(String text) {
        if (text == null || text.isEmpty()) {
            throw new IllegalArgumentException("send_digits is empty; " + ALLOWED);
        }
        if (text.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("send_digits is " + text.length() + " characters, at most "
                    + MAX_LENGTH + " allowed");
        }
        int[] events = new int[text.length()];
        int[] lengths = new int[text.length()];
        int steps = 0;
        int groupStart = 0; // first step not yet given a length by an @
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            int code = DtmfEvents.code(c);
            if (code >= 0) {
                events[steps] = code;
                lengths[steps++] = DEFAULT_TONE_MS;
                i++;
            } else if (c == 'w' || c == 'W') {
                events[steps] = WAIT;
                lengths[steps++] = c == 'w' ? SHORT_WAIT_MS : LONG_WAIT_MS;
                i++;
            } else if (c == '@') {
                int at = i;
                int end = i + 1;
                while (end < text.length() && text.charAt(end) >= '0' && text.charAt(end) <= '9') {
                    end++;
                }
                if (end == at + 1) {
                    throw new IllegalArgumentException("send_digits: '@' at position " + (at + 1)
                            + " must be followed by the tone length in ms (" + MIN_TONE_MS + ".." + MAX_TONE_MS + ")");
                }
                String number = text.substring(at + 1, end);
                int ms = number.length() > 5 ? Integer.MAX_VALUE : Integer.parseInt(number);
                if (ms < MIN_TONE_MS || ms > MAX_TONE_MS) {
                    throw new IllegalArgumentException("send_digits: tone length " + number + " ms at position "
                            + (at + 2) + " is out of range; allowed " + MIN_TONE_MS + ".." + MAX_TONE_MS + " ms");
                }
                boolean anyTone = false;
                for (int s = groupStart; s < steps; s++) {
                    if (events[s] != WAIT) {
                        lengths[s] = ms;
                        anyTone = true;
                    }
                }
                if (!anyTone) {
                    throw new IllegalArgumentException("send_digits: '@' at position " + (at + 1)
                            + " has no digit before it to apply to");
                }
                groupStart = steps;
                i = end;
            } else {
                throw new IllegalArgumentException("send_digits: invalid character '" + c + "' at position " + (i + 1)
                        + "; " + ALLOWED);
            }
        }
        return new SendDigits(text, Arrays.copyOf(events, steps), Arrays.copyOf(lengths, steps));
    }

    /** Number of steps: tones and waits in order. */
    public int steps() {
        return events.length;
    }

    public boolean isWait(int step) {
        return events[step] == WAIT;
    }

    /** The RFC 4733 event code of a tone step. */
    public int event(int step) {
        if (events[step] == WAIT) {
            throw new IllegalArgumentException("step " + step + " is a wait, not a tone");
        }
        return events[step];
    }

    /** Tone length or wait length of a step, in ms. */
    public int lengthMs(int step) {
        return lengthsMs[step];
    }

    /** The tones alone, as characters: "1w2@200" gives "12". */
    public String digits() {
        StringBuilder b = new StringBuilder();
        for (int e : events) {
            if (e != WAIT) {
                b.append(DtmfEvents.digit(e));
            }
        }
        return b.toString();
    }

    @Override
    public String toString() {
        return text;
    }
}
