package io.trunkline.amd.eval;

import io.trunkline.amd.AmdParameter;
import io.trunkline.amd.AmdParameters;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A parameter swept over a range, written {@code NAME=FROM:TO:STEP} (inclusive). */
public record Sweep(AmdParameter parameter, int from, int to, int step) {

    static final int MAX_POINTS = 100;

    /** One evaluation in the sweep. */
    public record Point(int value, double accuracy, double humanAccuracy, double machineAccuracy,
            Double humanLatencyP50AfterSpeechEnd) {}

    public Sweep {
        parameter.check(from);
        parameter.check(to);
        if (step <= 0) {
            throw new IllegalArgumentException("sweep step for " + parameter.key() + " must be positive, got " + step);
        }
        if (to < from) {
            throw new IllegalArgumentException("sweep range for " + parameter.key() + " must go up (FROM <= TO), got "
                    + from + ":" + to);
        }
        if ((to - from) / step + 1 > MAX_POINTS) {
            throw new IllegalArgumentException("sweep for " + parameter.key() + " must have at most " + MAX_POINTS
                    + " points, got " + ((to - from) / step + 1));
        }
    }

    /** Parses {@code NAME=FROM:TO:STEP}, e.g. {@code after_greeting_silence=500:1000:100}. */
    public static Sweep parse(String text) {
        int eq = text.indexOf('=');
        String[] range = eq < 0 ? new String[0] : text.substring(eq + 1).split(":", -1);
        if (eq <= 0 || range.length != 3) {
            throw new IllegalArgumentException("sweep must be NAME=FROM:TO:STEP, got '" + text + "'");
        }
        AmdParameter p = AmdParameter.byKey(text.substring(0, eq));
        return new Sweep(p, p.parse(range[0]), p.parse(range[1]), parseStep(p, range[2]));
    }

    private static int parseStep(AmdParameter p, String s) {
        try {
            return Integer.parseInt(s.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("sweep step for " + p.key() + " must be a positive integer, got '" + s + "'");
        }
    }

    public List<Integer> values() {
        List<Integer> v = new ArrayList<>();
        for (int x = from; x <= to; x += step) {
            v.add(x);
        }
        return v;
    }

    /**
     * The parameter set for every value, the others as in {@code base}.
     *
     * @throws IllegalArgumentException when a value makes the set inconsistent (e.g. between_words_silence not
     *     below after_greeting_silence)
     */
    public List<AmdParameters> parameterSets(AmdParameters base) {
        return values().stream().map(v -> base.with(parameter, v)).toList();
    }

    /** Evaluates the clips at every value of the swept parameter, the others as in {@code base}. */
    public List<Point> run(List<AmdEvaluator.Clip> clips, Map<String, ClipLabel> labels, AmdParameters base) {
        List<Point> points = new ArrayList<>();
        for (AmdParameters p : parameterSets(base)) {
            EvaluationSummary s = EvaluationSummary.of(AmdEvaluator.evaluate(clips, labels, p), p.asMap());
            points.add(new Point(p.get(parameter), s.accuracy(), s.perClass().get("human").accuracy(),
                    machineSide(s), s.latency().humanAfterSpeechEnd().p50()));
        }
        return points;
    }

    private static double machineSide(EvaluationSummary s) {
        EvaluationSummary.ClassAccuracy m = s.perClass().get("machine");
        EvaluationSummary.ClassAccuracy q = s.perClass().get("silence");
        int n = m.clips() + q.clips();
        return n == 0 ? 0 : (double) (m.correct() + q.correct()) / n;
    }
}
