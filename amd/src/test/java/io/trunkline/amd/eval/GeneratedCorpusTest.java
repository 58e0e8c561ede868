package io.trunkline.amd.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.trunkline.amd.AmdParameters;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The detector on the corpora {@code amd/corpus/generate.py} builds (voices, phrases, noise and channels the
 * development corpus does not have). They are generated into {@code target/amd-corpus/} at the repository root on
 * first use (a few minutes; needs python3, espeak-ng, flite and sox, which scripts/test.sh installs) and reused
 * after that; without the tools the test is skipped.
 *
 * <p>{@code tune} is the corpus the detector was tuned on; {@code holdout} was kept out of tuning and measured
 * once at the end. The thresholds are the figures measured then (see the README's AMD section), rounded down, so
 * that a change that makes the detector worse on audio it was not fitted to fails here.
 */
class GeneratedCorpusTest {

    @Test
    void tuningCorpus() throws Exception {
        EvaluationSummary s = evaluate("tune");
        String report = s.toText();
        assertEquals(200, s.labelled(), report);
        assertTrue(s.accuracy() >= 0.94, report);
        assertTrue(s.perClass().get("human").accuracy() >= 0.97, report);
        assertTrue(s.perKind().get("human/long").accuracy() >= 0.95, report);
        assertTrue(s.revisions().accuracy() >= 0.97, report);
        assertEquals(0, s.revisions().revisedOnHumans(), report);
        assertTrue(s.beep().detectionRate() >= 0.94, report);
        assertEquals(0, s.beep().falseBeepsOnHumans(), report);
        assertTrue(s.latency().humanAfterSpeechEnd().p50() <= 700, report);
        assertTrue(s.latency().humanAfterSpeechEnd().p95() <= 1000, report);
    }

    static EvaluationSummary evaluate(String set) throws IOException, InterruptedException {
        Path root = repositoryRoot();
        Path dir = root.resolve("target").resolve("amd-corpus").resolve(set);
        if (!Files.isRegularFile(dir.resolve("labels.csv"))) {
            generate(root, set, dir);
        }
        return EvaluationSummary.of(AmdEvaluator.evaluate(AmdEvaluator.loadCorpus(dir), LabelsCsv.read(
                dir.resolve("labels.csv")), AmdParameters.defaults()), AmdParameters.defaults().asMap());
    }

    private static Path repositoryRoot() {
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            if (Files.exists(d.resolve(".git"))) { // a clone or a worktree
                return d;
            }
        }
        throw new IllegalStateException("not inside a repository");
    }

    private static void generate(Path root, String set, Path dir) throws IOException, InterruptedException {
        for (String tool : new String[] {"python3", "espeak-ng", "flite", "sox"}) {
            Assumptions.assumeTrue(onPath(tool), tool + " is not installed: generated AMD corpora skipped");
        }
        Path partial = dir.resolveSibling(set + ".partial");
        Process p = new ProcessBuilder("python3", "amd/corpus/generate.py", "--set", set, "--out", partial.toString())
                .directory(root.toFile()).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        assertTrue(p.waitFor(30, TimeUnit.MINUTES), "generating " + set);
        assertEquals(0, p.exitValue(), "amd/corpus/generate.py --set " + set);
        Files.move(partial, dir); // only a complete corpus is reused
    }

    private static boolean onPath(String tool) {
        for (String d : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (Files.isExecutable(Path.of(d, tool))) {
                return true;
            }
        }
        return false;
    }
}
