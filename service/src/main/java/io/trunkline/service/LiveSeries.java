package io.trunkline.service;

import io.trunkline.service.dial.CallDispatcher;

import java.time.Instant;
import java.util.List;

/**
 * Calls started and ended per second on this node over the last ten minutes, for the dashboard's plot. A ring of
 * one slot per second; each slot is cleared when time comes round to it again.
 */
public final class LiveSeries implements CallDispatcher.Outcomes {
    public static final List<String> OUTCOMES = List.of("completed", "busy", "no-answer", "voicemail", "failed", "canceled", "expired");
    private static final int SECONDS = 600;

    private final long[] second = new long[SECONDS];
    private final int[] started = new int[SECONDS];
    private final int[][] ended = new int[OUTCOMES.size()][SECONDS];

    @Override
    public synchronized void started() {
        started[slot(System.currentTimeMillis() / 1000)]++;
    }

    @Override
    public synchronized void ended(String status) {
        int o = OUTCOMES.indexOf(status);
        if (o >= 0) ended[o][slot(System.currentTimeMillis() / 1000)]++;
    }

    @Override
    public void amdVerdict(String answeredBy) {}

    private int slot(long s) {
        int i = (int) (s % SECONDS);
        if (second[i] != s) {
            second[i] = s;
            started[i] = 0;
            for (int[] e : ended) e[i] = 0;
        }
        return i;
    }

    /** One second's figures. */
    public record Point(Instant t, int started, int[] ended) {}

    /** The last {@code seconds} whole seconds, oldest first. */
    public synchronized List<Point> last(int seconds) {
        long now = System.currentTimeMillis() / 1000;
        java.util.ArrayList<Point> out = new java.util.ArrayList<>(seconds);
        for (long s = now - Math.min(seconds, SECONDS - 1); s < now; s++) {
            int i = (int) (s % SECONDS);
            boolean here = second[i] == s;
            int[] e = new int[OUTCOMES.size()];
            for (int o = 0; o < e.length; o++) e[o] = here ? ended[o][i] : 0;
            out.add(new Point(Instant.ofEpochSecond(s), here ? started[i] : 0, e));
        }
        return out;
    }

    /** Both of these hear every outcome. */
    public static CallDispatcher.Outcomes both(CallDispatcher.Outcomes a, CallDispatcher.Outcomes b) {
        return new CallDispatcher.Outcomes() {
            @Override
            public void started() { a.started(); b.started(); }

            @Override
            public void ended(String status) { a.ended(status); b.ended(status); }

            @Override
            public void amdVerdict(String answeredBy) { a.amdVerdict(answeredBy); b.amdVerdict(answeredBy); }
        };
    }
}
