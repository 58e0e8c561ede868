package io.trunkline.cli;

import io.trunkline.amd.AmdParameters;
import io.trunkline.amd.eval.AmdEvaluator;
import io.trunkline.amd.eval.ClipLabel;
import io.trunkline.amd.eval.ClipOutcome;
import io.trunkline.amd.eval.EvaluationSummary;
import io.trunkline.amd.eval.LabelsCsv;
import io.trunkline.amd.eval.ReportWriter;
import io.trunkline.amd.eval.Sweep;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code trunkline amd-eval}: runs the answering-machine detector over a folder of WAV files (each file is a call
 * from its answer on) and reports accuracy, latency and beep figures against the labels.
 */
@Command(name = "amd-eval", mixinStandardHelpOptions = true,
        description = {"Evaluate answering-machine detection on a folder of WAV files (any rate; PCM, mu-law or A-law).",
            "Prints the summary; with --report also writes results.csv, summary.json and latency.png "
                    + "(and sweep.csv, sweep.png with --sweep)."},
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {"0:evaluated", "1:failed while evaluating or writing the report", "2:bad arguments or input"})
public final class AmdEvalCommand implements Callable<Integer> {

    @Option(names = "--corpus", required = true, paramLabel = "DIR", description = "Folder of .wav files.")
    Path corpus;

    @Option(names = "--labels", paramLabel = "CSV",
            description = "Labels (file,label[,speech_end_ms,beep_end_ms,...]); default: DIR/labels.csv if present.")
    Path labels;

    @Option(names = "--param", paramLabel = "NAME=VALUE",
            description = "An AMD parameter, e.g. initial_silence=3000 (repeatable).")
    List<String> params = new ArrayList<>();

    @Option(names = "--report", paramLabel = "OUT_DIR", description = "Folder to write the report files to.")
    Path report;

    @Option(names = "--sweep", paramLabel = "NAME=A:B:STEP",
            description = "Also evaluate every value A, A+STEP, ... B of one parameter and chart accuracy against it.")
    String sweep;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        AmdParameters parameters;
        Sweep sweepSpec;
        Map<String, ClipLabel> labelMap;
        List<AmdEvaluator.Clip> clips;
        try {
            parameters = AmdParameters.parse(params);
            sweepSpec = sweep == null ? null : Sweep.parse(sweep);
            if (sweepSpec != null) {
                sweepSpec.parameterSets(parameters); // reject inconsistent values before the long part
            }
            labelMap = readLabels();
            clips = AmdEvaluator.loadCorpus(corpus);
        } catch (IllegalArgumentException | IOException e) {
            err.println("amd-eval: " + e.getMessage());
            return 2;
        }
        try {
            List<ClipOutcome> outcomes = AmdEvaluator.evaluate(clips, labelMap, parameters);
            EvaluationSummary summary = EvaluationSummary.of(outcomes, parameters.asMap());
            out.println("parameters: " + parameters);
            out.print(summary.toText());
            List<Sweep.Point> points = null;
            if (sweepSpec != null) {
                points = sweepSpec.run(clips, labelMap, parameters);
                out.printf("sweep of %s:%n", sweepSpec.parameter().key());
                for (Sweep.Point p : points) {
                    out.printf(Locale.ROOT, "  %6d  accuracy %.1f%%  human %.1f%%  machine %.1f%%  human p50 %s ms%n",
                            p.value(), 100 * p.accuracy(), 100 * p.humanAccuracy(), 100 * p.machineAccuracy(),
                            p.humanLatencyP50AfterSpeechEnd() == null ? "-"
                                    : String.format(Locale.ROOT, "%.0f", p.humanLatencyP50AfterSpeechEnd()));
                }
            }
            if (report != null) {
                ReportWriter.write(report, outcomes, summary, sweepSpec, points);
                out.println("report written to " + report.toAbsolutePath());
            }
            out.flush();
            return 0;
        } catch (IOException e) {
            err.println("amd-eval: writing the report failed: " + e.getMessage());
            return 1;
        }
    }

    private Map<String, ClipLabel> readLabels() throws IOException {
        Path file = labels;
        if (file == null) {
            Path beside = corpus.resolve("labels.csv");
            if (!Files.isRegularFile(beside)) {
                return Map.of();
            }
            file = beside;
        } else if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("--labels must be a readable CSV file, got " + file);
        }
        return LabelsCsv.read(file);
    }
}
