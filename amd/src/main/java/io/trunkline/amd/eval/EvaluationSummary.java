package io.trunkline.amd.eval;

import io.trunkline.amd.AmdVerdict;
import io.trunkline.amd.beep.Beep;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The figures of one evaluation run (written as summary.json).
 *
 * @param parameters the AMD parameters used, by API name
 * @param clips clips evaluated
 * @param labelled clips that had a label
 * @param accuracy share of labelled clips right on the human vs machine split (SILENCE and silence count as
 *     machine; NOT_SURE is wrong)
 * @param perClass accuracy by expected class
 * @param perKind accuracy by expected class and sub-kind ({@code human/long}), for labels that name a kind
 * @param confusion counts by expected class, then verdict
 * @param latency decision times, ms
 * @param beep beep detection figures (a beep reported with a revised verdict counts as found)
 * @param revisions verdicts a beep revised soon after, and the accuracy counting the revised verdicts
 * @param wrong the clips it got wrong
 */
public record EvaluationSummary(Map<String, Integer> parameters, int clips, int labelled, double accuracy,
        Map<String, ClassAccuracy> perClass, Map<String, ClassAccuracy> perKind,
        Map<String, Map<String, Integer>> confusion, Latency latency,
        BeepFigures beep, Revisions revisions, List<WrongClip> wrong) {

    /**
     * @param revised clips whose HUMAN or NOT_SURE verdict a beep revised to MACHINE
     * @param revisedOnHumans of those, human clips (a person wrongly revised to a machine)
     * @param accuracy accuracy counting each clip's final verdict
     * @param humanAccuracy the same on human clips
     */
    public record Revisions(int revised, int revisedOnHumans, double accuracy, double humanAccuracy) {}

    public record ClassAccuracy(int clips, int correct, double accuracy) {}

    /**
     * @param decisionFromAnswer decision time from the answer, by expected class
     * @param humanAfterSpeechEnd HUMAN verdicts on human clips: decision time after the end of the greeting speech
     * @param machineAfterBeepEnd machine clips with a labelled and detected beep: when the beep was reported, after
     *     the labelled beep end (when a message can start)
     */
    public record Latency(Map<String, Percentiles> decisionFromAnswer, Percentiles humanAfterSpeechEnd,
            Percentiles machineAfterBeepEnd) {}

    /**
     * @param clipsWithBeep labelled clips with a beep
     * @param detected of those, clips where a beep was reported (after a MACHINE verdict)
     * @param toleranceMs how far the reported beep end may be from the labelled one
     * @param detectedWithinTolerance of those, clips whose reported beep end is within the tolerance
     * @param detectionRate detectedWithinTolerance / clipsWithBeep
     * @param endErrorMs absolute error of the reported beep end
     * @param falseBeepsOnMachinesWithoutBeep beeps reported on labelled clips without one
     * @param humanClipsScanned human clips scanned end to end by a beep detector
     * @param falseBeepsOnHumans human clips where that scan found a beep
     */
    public record BeepFigures(int clipsWithBeep, int detected, int toleranceMs, int detectedWithinTolerance,
            double detectionRate,
            Percentiles endErrorMs, int falseBeepsOnMachinesWithoutBeep, int humanClipsScanned,
            int falseBeepsOnHumans) {}

    public record WrongClip(String file, String expected, String kind, String verdict, String cause, int decisionMs) {}

    static final int BEEP_TOLERANCE_MS = 300;

    public static EvaluationSummary of(List<ClipOutcome> outcomes, Map<String, Integer> parameters) {
        int labelled = 0;
        int correct = 0;
        Map<String, int[]> perClassCounts = new LinkedHashMap<>();
        Map<String, int[]> perKindCounts = new java.util.TreeMap<>();
        Map<String, Map<String, Integer>> confusion = new LinkedHashMap<>();
        Map<String, List<Integer>> decisions = new LinkedHashMap<>();
        for (ClipLabel.Label l : ClipLabel.Label.values()) {
            perClassCounts.put(l.key(), new int[2]);
            Map<String, Integer> row = new LinkedHashMap<>();
            for (AmdVerdict v : AmdVerdict.values()) {
                row.put(v.name(), 0);
            }
            confusion.put(l.key(), row);
            decisions.put(l.key(), new ArrayList<>());
        }
        List<Integer> humanAfterSpeech = new ArrayList<>();
        List<Integer> machineAfterBeep = new ArrayList<>();
        List<Integer> beepErrors = new ArrayList<>();
        List<WrongClip> wrong = new ArrayList<>();
        int withBeep = 0;
        int detected = 0;
        int within = 0;
        int falseMachineBeeps = 0;
        int humansScanned = 0;
        int falseHumanBeeps = 0;
        int revised = 0;
        int revisedOnHumans = 0;
        int finalCorrect = 0;
        int humans = 0;
        int humansFinalCorrect = 0;
        for (ClipOutcome o : outcomes) {
            ClipLabel label = o.label();
            if (label == null) {
                continue;
            }
            labelled++;
            String key = label.label().key();
            int decision = o.result().decisionMs();
            decisions.get(key).add(decision);
            confusion.get(key).merge(o.result().verdict().name(), 1, Integer::sum);
            int[] pc = perClassCounts.get(key);
            int[] pk = label.kind() == null ? new int[2] : perKindCounts.computeIfAbsent(key + "/" + label.kind(),
                    k -> new int[2]);
            pc[0]++;
            pk[0]++;
            if (o.correct()) {
                correct++;
                pc[1]++;
                pk[1]++;
            } else {
                wrong.add(new WrongClip(o.file(), key, label.kind(), o.result().verdict().name(), o.result().cause().name(), decision));
            }
            if (o.revised() != null) {
                revised++;
                revisedOnHumans += label.label().isHuman() ? 1 : 0;
            }
            finalCorrect += o.correctAfterRevision() ? 1 : 0;
            if (label.label().isHuman()) {
                humans++;
                humansFinalCorrect += o.correctAfterRevision() ? 1 : 0;
                humansScanned++;
                if (o.scannedBeep() != null) {
                    falseHumanBeeps++;
                }
                if (o.result().verdict() == AmdVerdict.HUMAN && label.speechEndMs() != null) {
                    humanAfterSpeech.add(decision - label.speechEndMs());
                }
            }
            Beep beep = o.beep();
            if (label.beepEndMs() != null) {
                withBeep++;
                if (beep != null) {
                    detected++;
                    int error = Math.abs(beep.endMs() - label.beepEndMs());
                    beepErrors.add(error);
                    machineAfterBeep.add(beep.reportedMs() - label.beepEndMs());
                    if (error <= BEEP_TOLERANCE_MS) {
                        within++;
                    }
                }
            } else if (beep != null) {
                falseMachineBeeps++;
            }
        }
        Map<String, ClassAccuracy> perClass = new LinkedHashMap<>();
        perClassCounts.forEach((k, v) -> perClass.put(k, new ClassAccuracy(v[0], v[1], ratio(v[1], v[0]))));
        Map<String, ClassAccuracy> perKind = new LinkedHashMap<>();
        perKindCounts.forEach((k, v) -> perKind.put(k, new ClassAccuracy(v[0], v[1], ratio(v[1], v[0]))));
        Map<String, Percentiles> decisionPercentiles = new LinkedHashMap<>();
        decisions.forEach((k, v) -> decisionPercentiles.put(k, Percentiles.of(v)));
        return new EvaluationSummary(parameters, outcomes.size(), labelled, ratio(correct, labelled), perClass,
                perKind, confusion,
                new Latency(decisionPercentiles, Percentiles.of(humanAfterSpeech), Percentiles.of(machineAfterBeep)),
                new BeepFigures(withBeep, detected, BEEP_TOLERANCE_MS, within, ratio(within, withBeep), Percentiles.of(beepErrors),
                        falseMachineBeeps, humansScanned, falseHumanBeeps),
                new Revisions(revised, revisedOnHumans, ratio(finalCorrect, labelled), ratio(humansFinalCorrect, humans)),
                wrong);
    }

    private static double ratio(int n, int d) {
        return d == 0 ? 0 : (double) n / d;
    }

    /** A human-readable report, as the CLI prints it. */
    public String toText() {
        StringBuilder s = new StringBuilder();
        s.append(String.format("clips %d, labelled %d, accuracy %.1f%% (human vs machine; silence counts as machine)%n",
                clips, labelled, 100 * accuracy));
        perClass.forEach((k, v) -> s.append(String.format("  %-8s %3d/%-3d %.1f%%%n", k, v.correct(), v.clips(),
                100 * v.accuracy())));
        if (!perKind.isEmpty()) {
            s.append("by kind:\n");
            perKind.forEach((k, v) -> s.append(String.format("  %-17s %3d/%-3d %.1f%%%n", k, v.correct(), v.clips(),
                    100 * v.accuracy())));
        }
        s.append("confusion (expected -> verdicts):\n");
        confusion.forEach((k, row) -> s.append(String.format("  %-8s %s%n", k, row)));
        s.append("decision ms from answer:\n");
        latency.decisionFromAnswer().forEach((k, p) -> s.append(String.format("  %-8s %s%n", k, p)));
        s.append("human decision after speech end: ").append(latency.humanAfterSpeechEnd()).append('\n');
        s.append("machine beep reported after beep end: ").append(latency.machineAfterBeepEnd()).append('\n');
        s.append(String.format("beep: %d/%d detected within %d ms (%.1f%%), %d reported; end error %s;%n"
                        + "      false beeps: %d on machine clips without beep, %d on %d human clips (full scan)%n",
                beep.detectedWithinTolerance(), beep.clipsWithBeep(), beep.toleranceMs(), 100 * beep.detectionRate(),
                beep.detected(), beep.endErrorMs(), beep.falseBeepsOnMachinesWithoutBeep(), beep.falseBeepsOnHumans(),
                beep.humanClipsScanned()));
        s.append(String.format("revised by a beep after the verdict: %d (%d on human clips); final verdicts: accuracy "
                + "%.1f%%, humans %.1f%%%n", revisions.revised(), revisions.revisedOnHumans(), 100 * revisions.accuracy(),
                100 * revisions.humanAccuracy()));
        s.append("wrong: ").append(wrong.size()).append('\n');
        for (WrongClip w : wrong) {
            s.append(String.format("  %s expected %s got %s (%s) at %d ms%n", w.file(),
                    w.kind() == null ? w.expected() : w.expected() + "/" + w.kind(), w.verdict(),
                    w.cause(), w.decisionMs()));
        }
        return s.toString();
    }
}
