package io.trunkline.amd.eval;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.trunkline.amd.AmdVerdict;
import io.trunkline.amd.beep.Beep;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes an evaluation to a folder: results.csv (one row per clip), summary.json, latency.png and, for a sweep,
 * sweep.csv and sweep.png.
 */
public final class ReportWriter {

    /** The columns of results.csv, in order. */
    public static final String RESULTS_HEADER = "file,expected,verdict,cause,decision_ms,beep_end_ms";

    private static final ObjectMapper JSON = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(SerializationFeature.INDENT_OUTPUT);

    private ReportWriter() {}

    public static void write(Path dir, List<ClipOutcome> outcomes, EvaluationSummary summary, Sweep sweep,
            List<Sweep.Point> sweepPoints) throws IOException {
        Files.createDirectories(dir);
        writeResults(dir.resolve("results.csv"), outcomes);
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("summary", summary);
        if (sweep != null) {
            json.put("sweep", Map.of("parameter", sweep.parameter().key(), "points", sweepPoints));
        }
        JSON.writeValue(dir.resolve("summary.json").toFile(), json);
        writeLatencyChart(dir.resolve("latency.png"), outcomes);
        if (sweep != null) {
            writeSweep(dir, sweep, sweepPoints);
        }
    }

    static void writeResults(Path csv, List<ClipOutcome> outcomes) throws IOException {
        try (Writer w = Files.newBufferedWriter(csv, StandardCharsets.UTF_8)) {
            w.write(RESULTS_HEADER + "\n");
            for (ClipOutcome o : outcomes) {
                Beep b = o.beep();
                w.write(String.join(",", csvField(o.file()), o.label() == null ? "" : o.label().label().key(),
                        o.result().verdict().name(), o.result().cause().name(),
                        String.valueOf(o.result().decisionMs()), b == null ? "" : String.valueOf(b.endMs())) + "\n");
            }
        }
    }

    private static String csvField(String s) {
        return s.contains(",") || s.contains("\"") ? '"' + s.replace("\"", "\"\"") + '"' : s;
    }

    private static void writeLatencyChart(Path png, List<ClipOutcome> outcomes) throws IOException {
        List<Integer> human = new ArrayList<>();
        List<Integer> machine = new ArrayList<>();
        for (ClipOutcome o : outcomes) {
            ClipLabel l = o.label();
            if (l == null) {
                continue;
            }
            if (l.label().isHuman() && o.result().verdict() == AmdVerdict.HUMAN && l.speechEndMs() != null) {
                human.add(o.result().decisionMs() - l.speechEndMs());
            } else if (l.beepEndMs() != null && o.beep() != null) {
                machine.add(o.beep().reportedMs() - l.beepEndMs());
            }
        }
        Charts.histogram(png, "AMD decision latency", "ms after the end of the speech (human) / of the beep (machine)",
                List.of(new Charts.Series("human: HUMAN verdict after speech end", human),
                        new Charts.Series("machine: beep reported after beep end", machine)),
                100);
    }

    private static void writeSweep(Path dir, Sweep sweep, List<Sweep.Point> points) throws IOException {
        try (Writer w = Files.newBufferedWriter(dir.resolve("sweep.csv"), StandardCharsets.UTF_8)) {
            w.write(sweep.parameter().key() + ",accuracy,human_accuracy,machine_accuracy,human_latency_p50_ms\n");
            for (Sweep.Point p : points) {
                w.write(String.format(java.util.Locale.ROOT, "%d,%.4f,%.4f,%.4f,%s%n", p.value(), p.accuracy(),
                        p.humanAccuracy(), p.machineAccuracy(),
                        p.humanLatencyP50AfterSpeechEnd() == null ? "" : String.format(java.util.Locale.ROOT, "%.0f",
                                p.humanLatencyP50AfterSpeechEnd())));
            }
        }
        List<double[]> all = new ArrayList<>();
        List<double[]> human = new ArrayList<>();
        List<double[]> machine = new ArrayList<>();
        for (Sweep.Point p : points) {
            all.add(new double[] {p.value(), p.accuracy()});
            human.add(new double[] {p.value(), p.humanAccuracy()});
            machine.add(new double[] {p.value(), p.machineAccuracy()});
        }
        Charts.lines(dir.resolve("sweep.png"), "Accuracy against " + sweep.parameter().key(),
                sweep.parameter().key() + (sweep.parameter().unit().isEmpty() ? "" : " (" + sweep.parameter().unit() + ")"),
                List.of(new Charts.Line("all (silence = machine)", all), new Charts.Line("human", human),
                        new Charts.Line("machine + silence", machine)));
    }
}
