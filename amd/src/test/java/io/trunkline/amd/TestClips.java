package io.trunkline.amd;

import io.trunkline.audio.WavReader;
import io.trunkline.amd.eval.ClipLabel;
import io.trunkline.amd.eval.LabelsCsv;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Map;

/** The corpus clips copied into src/test/resources/amd-clips, with their labels. */
public final class TestClips {

    private TestClips() {}

    public static Path dir() {
        try {
            return Path.of(TestClips.class.getResource("/amd-clips/labels.csv").toURI()).getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    public static Map<String, ClipLabel> labels() {
        try {
            return LabelsCsv.read(dir().resolve("labels.csv"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static ClipLabel label(String file) {
        return labels().get(file);
    }

    /** The clip as 8 kHz samples. */
    public static short[] samples(String file) {
        try {
            return WavReader.read8k(dir().resolve(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
