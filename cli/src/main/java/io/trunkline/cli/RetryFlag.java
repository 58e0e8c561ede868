package io.trunkline.cli;

import io.trunkline.sip.message.HeaderSafety;

import java.util.List;
import java.util.Locale;

/**
 * One {@code --retry OUTCOME=ATTEMPTS/DELAY} flag, e.g. {@code busy=3/600} or {@code no-answer=3/1h}: the API's
 * {@code retry.<outcome> = {"max_attempts": 3, "delay_s": 600}}. The ranges are the contract's, checked here so a
 * mistake is reported against the flag rather than as a server field the user never typed.
 */
record RetryFlag(String outcome, int maxAttempts, long delaySeconds) {
    static final List<String> OUTCOMES = List.of("busy", "no-answer", "voicemail", "failed");
    static final String FORM = "OUTCOME=ATTEMPTS/DELAY with OUTCOME one of " + String.join(", ", OUTCOMES)
            + ", ATTEMPTS 1..20 (attempts in all, the first included) and DELAY 0..2592000 seconds (or with s, m, h, d), e.g. busy=3/600 or no-answer=2/1h";
    static final long MAX_DELAY_S = 2_592_000;

    static RetryFlag parse(String flag, String value) {
        String v = value.trim().toLowerCase(Locale.ROOT);
        int eq = v.indexOf('=');
        int slash = v.indexOf('/', eq + 1);
        if (eq <= 0 || slash < 0) throw bad(flag, value, null);
        String outcome = v.substring(0, eq).trim().replace('_', '-');
        if (!OUTCOMES.contains(outcome)) throw bad(flag, value, "'" + HeaderSafety.printable(outcome) + "' is not an outcome");
        int attempts;
        try {
            attempts = Integer.parseInt(v.substring(eq + 1, slash).trim());
        } catch (NumberFormatException e) {
            throw bad(flag, value, "ATTEMPTS must be a whole number");
        }
        if (attempts < 1 || attempts > 20) throw bad(flag, value, "ATTEMPTS must be 1..20, got " + attempts);
        long delay = seconds(flag, value, v.substring(slash + 1).trim());
        if (delay > MAX_DELAY_S) throw bad(flag, value, "DELAY must be at most 2592000 s (30 days), got " + delay);
        return new RetryFlag(outcome, attempts, delay);
    }

    private static long seconds(String flag, String value, String d) {
        if (!d.matches("[0-9]{1,9}[smhd]?")) throw bad(flag, value, "DELAY must be a whole number of seconds, optionally with s, m, h or d");
        char last = d.charAt(d.length() - 1);
        boolean suffixed = !Character.isDigit(last);
        long n = Long.parseLong(suffixed ? d.substring(0, d.length() - 1) : d);
        char unit = suffixed ? last : 's';
        return switch (unit) {
            case 'm' -> n * 60;
            case 'h' -> n * 3600;
            case 'd' -> n * 86_400;
            default -> n;
        };
    }

    private static IllegalArgumentException bad(String flag, String value, String why) {
        return new IllegalArgumentException(flag + " must be " + FORM + ", got '" + HeaderSafety.printable(value) + "'"
                + (why == null ? "" : ": " + why));
    }
}
