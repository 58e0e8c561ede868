package io.trunkline.sip.stir;

/**
 * RFC 8588 §6 / RFC 8224 §8.3 canonical telephone numbers: digits only, no '+', country code included. Visual
 * separators are dropped; anything else is refused, naming the field.
 */
public final class TelephoneNumbers {
    private TelephoneNumbers() {}

    public static String canonical(String field, String number) {
        if (number == null) throw new IllegalArgumentException(field + " is required");
        StringBuilder digits = new StringBuilder(16);
        for (int i = 0; i < number.length(); i++) {
            char c = number.charAt(i);
            if (c >= '0' && c <= '9') digits.append(c);
            else if (!(c == '+' && digits.isEmpty() && i == number.indexOf('+')) && " -.()".indexOf(c) < 0) {
                throw new IllegalArgumentException(field + " must be a telephone number (digits, optional leading +), got a '"
                        + (c >= 0x20 && c < 0x7f ? c : '?') + "' at " + i);
            }
        }
        if (digits.length() < 7 || digits.length() > 15) {
            throw new IllegalArgumentException(field + " must have 7..15 digits including the country code, got " + digits.length());
        }
        return digits.toString();
    }
}
