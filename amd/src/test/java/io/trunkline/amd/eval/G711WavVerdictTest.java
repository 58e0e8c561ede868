package io.trunkline.amd.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.trunkline.amd.AmdParameters;
import io.trunkline.amd.AmdResult;
import io.trunkline.amd.TestClips;
import io.trunkline.audio.G711;
import io.trunkline.audio.WavReader;
import io.trunkline.audio.WavWriter;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A recording stored as μ-law or A-law WAV must give the detector the same verdict as the linear original. */
class G711WavVerdictTest {

    @TempDir
    Path tmp;

    @Test
    void muLawAndALawFilesGiveTheSameVerdictAsTheLinearOriginal() throws IOException {
        short[] original = TestClips.samples("amd_dev_087.wav");
        AmdResult reference = AmdEvaluator.evaluate(new AmdEvaluator.Clip("pcm", original), null,
                AmdParameters.defaults()).result();
        for (WavWriter.Encoding encoding : new WavWriter.Encoding[] {WavWriter.Encoding.MULAW, WavWriter.Encoding.ALAW}) {
            Path f = tmp.resolve(encoding + ".wav");
            try (WavWriter w = WavWriter.create(f, 8000, 1, encoding)) {
                w.writeMono(original, 0, original.length);
            }
            WavReader.Clip c = WavReader.read(f);
            assertEquals(original.length, c.samples().length);
            for (int i = 0; i < original.length; i++) {
                short expected = encoding == WavWriter.Encoding.MULAW
                        ? G711.ulawToLinear(G711.linearToUlaw(original[i]))
                        : G711.alawToLinear(G711.linearToAlaw(original[i]));
                assertEquals(expected, c.samples()[i], encoding + " sample " + i);
                int tolerance = Math.max(encoding == WavWriter.Encoding.MULAW ? 4 : 16, Math.abs(original[i]) / 16 + 1);
                assertTrue(Math.abs(c.samples()[i] - original[i]) <= tolerance, encoding + " sample " + i);
            }
            AmdResult r = AmdEvaluator.evaluate(new AmdEvaluator.Clip(encoding.name(), c.samples()), null,
                    AmdParameters.defaults()).result();
            assertEquals(reference.verdict(), r.verdict(), encoding.name());
            assertEquals(reference.cause(), r.cause(), encoding.name());
            assertEquals(reference.decisionMs(), r.decisionMs(), 100, encoding.name());
        }
    }
}
