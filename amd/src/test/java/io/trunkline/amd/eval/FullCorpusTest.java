package io.trunkline.amd.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.trunkline.amd.AmdParameters;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Evaluates the FULL AMD development corpus (120 clips) with the default parameters and checks the product
 * targets. The corpus is not in the repository: it is read from {@code ../shared/corpus/amd} relative to the
 * repository root, and the test is skipped when it is absent.
 */
class FullCorpusTest {

    static Path corpus() {
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            if (Files.exists(d.resolve(".git"))) { // the repository root (a clone or a worktree)
                return d.resolve("..").resolve("shared").resolve("corpus").resolve("amd").normalize();
            }
        }
        return null;
    }

    @Test
    void meetsTheTargetsWithDefaultParameters() throws IOException {
        Path dir = corpus();
        Assumptions.assumeTrue(dir != null && Files.isRegularFile(dir.resolve("labels.csv")),
                "full AMD corpus not found at ../shared/corpus/amd next to the repository root; skipped");
        List<AmdEvaluator.Clip> clips = AmdEvaluator.loadCorpus(dir);
        EvaluationSummary s = EvaluationSummary.of(
                AmdEvaluator.evaluate(clips, LabelsCsv.read(dir.resolve("labels.csv")), AmdParameters.defaults()),
                AmdParameters.defaults().asMap());
        String report = s.toText();
        System.out.println(report);
        assertEquals(120, s.labelled(), report);
        assertTrue(s.accuracy() >= 0.95, report);
        assertTrue(s.perClass().get("human").accuracy() >= 0.95, report);
        Percentiles human = s.latency().humanAfterSpeechEnd();
        assertTrue(human.p50() < 900, report);
        assertTrue(human.p95() < 1500, report);
        assertTrue(s.beep().detectionRate() >= 0.95, report);
        assertEquals(300, s.beep().toleranceMs());
        assertEquals(0, s.beep().falseBeepsOnHumans(), report);
        assertEquals(60, s.beep().humanClipsScanned(), report);
    }
}
