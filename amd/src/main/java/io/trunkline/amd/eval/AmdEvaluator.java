package io.trunkline.amd.eval;

import io.trunkline.amd.AmdListener;
import io.trunkline.amd.AmdParameters;
import io.trunkline.amd.AmdResult;
import io.trunkline.amd.AnsweringMachineDetector;
import io.trunkline.audio.WavReader;
import io.trunkline.amd.beep.Beep;
import io.trunkline.amd.beep.BeepDetector;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/** Runs the detector over a folder of WAV files, as if each file were a call from its answer on. */
public final class AmdEvaluator {

    /** A clip decoded to 8 kHz, ready to be evaluated as often as a sweep needs. */
    public record Clip(String file, short[] samples) {}

    private AmdEvaluator() {}

    /** Reads every {@code .wav} file in the folder (not recursive), sorted by name, converted to 8 kHz mono. */
    public static List<Clip> loadCorpus(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("corpus must be a folder of WAV files, got " + dir);
        }
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(p -> p.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".wav"))
                    .sorted()
                    .toList();
        }
        if (files.isEmpty()) {
            throw new IllegalArgumentException("corpus folder " + dir + " holds no .wav files");
        }
        List<Clip> clips = new ArrayList<>(files.size());
        for (Path f : files) {
            clips.add(new Clip(f.getFileName().toString(), WavReader.read8k(f)));
        }
        return clips;
    }

    /** Evaluates every clip; clips without a label get a null label. */
    public static List<ClipOutcome> evaluate(List<Clip> clips, Map<String, ClipLabel> labels, AmdParameters p) {
        List<ClipOutcome> out = new ArrayList<>(clips.size());
        for (Clip c : clips) {
            out.add(evaluate(c, labels.get(c.file()), p));
        }
        return out;
    }

    /**
     * Feeds one clip to a detector frame by frame. A clip that ends before the detector decided counts as
     * NOT_SURE (TOO_LONG) at its end, as a callee hanging up would.
     */
    public static ClipOutcome evaluate(Clip clip, ClipLabel label, AmdParameters p) {
        Capture capture = new Capture();
        short[] pcm = clip.samples();
        int frames = pcm.length / AnsweringMachineDetector.FRAME_SAMPLES;
        try (AnsweringMachineDetector detector = new AnsweringMachineDetector(p, capture)) {
            for (int f = 0; f < frames && !detector.isFinished(); f++) {
                detector.offer(pcm, f * AnsweringMachineDetector.FRAME_SAMPLES);
            }
            detector.endOfAudio();
            return new ClipOutcome(clip.file(), label, capture.result, capture.revised, capture.beep, scanBeep(pcm, frames));
        }
    }

    private static Beep scanBeep(short[] pcm, int frames) {
        BeepDetector d = new BeepDetector();
        for (int f = 0; f < frames; f++) {
            Beep b = d.onFrame(pcm, f * BeepDetector.FRAME_SAMPLES);
            if (b != null) {
                return b;
            }
        }
        return null;
    }

    private static final class Capture implements AmdListener {
        AmdResult result;
        AmdResult revised;
        Beep beep;

        @Override
        public void onVerdict(AmdResult r) {
            if (result == null) {
                result = r;
            } else {
                revised = r;
            }
        }

        @Override
        public void onBeep(Beep b, int atMs) {
            beep = b;
        }
    }
}
