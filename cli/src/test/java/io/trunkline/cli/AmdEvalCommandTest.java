package io.trunkline.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code amd-eval} on the simulator's four corpus greetings, labelled with sub-kinds as the generated corpora are. */
class AmdEvalCommandTest {
    @TempDir Path corpus;

    @Test
    void reportsAccuracyPerKindAndTheRevisedVerdicts() throws Exception {
        for (String f : new String[] {"amd_dev_001.wav", "amd_dev_005.wav", "amd_dev_010.wav", "amd_dev_012.wav"}) {
            try (InputStream in = getClass().getResourceAsStream("/greetings/" + f)) {
                Files.copy(in, corpus.resolve(f));
            }
        }
        Files.writeString(corpus.resolve("labels.csv"), """
                file,label,speech_start_ms,speech_end_ms,beep_start_ms,beep_end_ms,kind
                amd_dev_001.wav,human,447,2130,,,twopart
                amd_dev_005.wav,machine,435,5005,5861,6610,carrier
                amd_dev_010.wav,human,733,1858,,,single
                amd_dev_012.wav,machine,319,3927,4827,5295,carrier
                """);
        CliRun run = CliRun.of("amd-eval", "--corpus", corpus.toString());
        assertEquals(0, run.exitCode(), run.out() + run.err());
        String out = run.out();
        assertTrue(out.contains("clips 4, labelled 4, accuracy 100.0%"), out);
        assertTrue(out.matches("(?s).*by kind:\\s+human/single\\s+1/1\\s+100\\.0%\\s+human/twopart\\s+1/1\\s+100\\.0%"
                + "\\s+machine/carrier\\s+2/2\\s+100\\.0%.*"), out);
        assertTrue(out.contains("beep: 2/2 detected within 300 ms"), out);
        assertTrue(out.contains("revised by a beep after the verdict: 0 (0 on human clips); final verdicts: accuracy 100.0%"), out);
    }
}
