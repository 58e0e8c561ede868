package io.trunkline.cli;

import io.trunkline.sip.message.HeaderSafety;

/** A {@code MIN-MAX} port range option, checked with the option's name in the message. */
final class PortRange {
    private PortRange() {}

    static int[] parse(String option, String value) {
        String[] parts = value.split("-");
        int min, max;
        try {
            min = Integer.parseInt(parts[0].trim());
            max = Integer.parseInt(parts[1].trim());
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(option + " must be MIN-MAX, e.g. 40000-40999, got '" + HeaderSafety.printable(value) + "'");
        }
        if (min < 1024 || max > 65535 || min >= max) {
            throw new IllegalArgumentException(option + " must lie within 1024..65535 with MIN below MAX, got " + min + "-" + max);
        }
        return new int[] {min, max};
    }
}
