package io.trunkline.engine;

import io.trunkline.sip.message.HeaderSafety;
import java.util.List;

/**
 * A set of caller IDs: E.164 numbers ({@code +15550100001}) or prefixes ending in {@code *} ({@code +1555*}).
 * Matching returns how specific the best pattern is, so a caller picks the closest rule: an exact number beats
 * any prefix, a longer prefix beats a shorter one.
 */
public record CallerIds(List<String> patterns) {
    public CallerIds {
        patterns = List.copyOf(patterns);
        for (String c : patterns) {
            String digits = c.endsWith("*") ? c.substring(0, c.length() - 1) : c;
            if (!digits.matches("\\+[0-9]{1,15}")) {
                throw new IllegalArgumentException("caller ID must be +DIGITS or a prefix +DIGITS*, got '" + HeaderSafety.printable(c) + "'");
            }
        }
    }

    /** Length of the most specific matching pattern (exact = {@link Integer#MAX_VALUE}), or -1 when none matches. */
    public int match(String from) {
        int best = -1;
        for (String c : patterns) {
            if (c.endsWith("*")) {
                String p = c.substring(0, c.length() - 1);
                if (from.startsWith(p)) best = Math.max(best, p.length());
            } else if (c.equals(from)) {
                return Integer.MAX_VALUE;
            }
        }
        return best;
    }

    public boolean matches(String from) { return match(from) >= 0; }
}
