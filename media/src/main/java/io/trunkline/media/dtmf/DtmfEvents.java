package io.trunkline.media.dtmf;

/** The RFC 4733 §3.2 DTMF event codes: 0-9 are the digits, 10 is *, 11 is #, 12-15 are A-D. */
public final class DtmfEvents {

    private static final String DIGITS = "0123456789*#ABCD";

    private DtmfEvents() {}

    /** The event code for a DTMF character, or -1 when it is not one. */
    public static int code(char digit) {
        return DIGITS.indexOf(digit);
    }

    /** The character for event code 0-15. */
    public static char digit(int code) {
        if (code < 0 || code > 15) {
            throw new IllegalArgumentException("DTMF event code must be 0..15, got " + code);
        }
        return DIGITS.charAt(code);
    }
}
