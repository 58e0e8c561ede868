package io.trunkline.sim;

import io.trunkline.audio.WavReader;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * What the simulator's callees say when they answer: recorded greetings, people and voicemails, chosen by the
 * called number so a run is repeatable (the number's last digits pick the clip). The bundled set is four clips of
 * the project's AMD corpus (two people, two voicemails that end in a beep; see greetings/labels.csv).
 */
public final class Greetings implements Function<String, short[]> {
    /** One greeting and its label from labels.csv ({@code human}, {@code machine}, {@code silence}; null if unknown). */
    public record Clip(String file, String label, short[] pcm) {}

    private static final List<String> BUNDLED = List.of("amd_dev_001.wav", "amd_dev_005.wav", "amd_dev_010.wav", "amd_dev_012.wav");
    private static final List<String> BUNDLED_LABELS = List.of("human", "machine", "human", "machine");

    private final List<Clip> clips;

    private Greetings(List<Clip> clips) {
        if (clips.isEmpty()) throw new IllegalArgumentException("greetings: no WAV files found");
        this.clips = List.copyOf(clips);
    }

    public static Greetings bundled() {
        List<Clip> out = new ArrayList<>();
        for (int i = 0; i < BUNDLED.size(); i++) {
            try (InputStream in = Greetings.class.getResourceAsStream("/greetings/" + BUNDLED.get(i))) {
                if (in == null) throw new IllegalStateException("greetings/" + BUNDLED.get(i) + " is missing from the simulator's jar");
                WavReader.Clip c = WavReader.parse(ByteBuffer.wrap(in.readAllBytes()).order(java.nio.ByteOrder.LITTLE_ENDIAN));
                out.add(new Clip(BUNDLED.get(i), BUNDLED_LABELS.get(i), io.trunkline.audio.Resampler.resample(c.samples(), c.sampleRate(), 8000)));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return new Greetings(out);
    }

    /** Every WAV in a folder, in name order; labels from its labels.csv when there is one. */
    public static Greetings fromDir(Path dir) throws IOException {
        java.util.Map<String, String> labels = new java.util.HashMap<>();
        Path csv = dir.resolve("labels.csv");
        if (Files.exists(csv)) {
            List<String> lines = Files.readAllLines(csv);
            for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
                String[] f = line.split(",", 3);
                if (f.length >= 2) labels.put(f[0], f[1]);
            }
        }
        List<Clip> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(p -> p.getFileName().toString().toLowerCase().endsWith(".wav")).sorted().toList()) {
                out.add(new Clip(f.getFileName().toString(), labels.get(f.getFileName().toString()), WavReader.read8k(f)));
            }
        }
        return new Greetings(out);
    }

    public List<Clip> clips() { return clips; }

    /** The clip a called number gets: its trailing digits modulo the number of clips. */
    public Clip forNumber(String called) {
        String digits = called.replaceAll("[^0-9]", "");
        long n = digits.isEmpty() ? 0 : Long.parseLong(digits.substring(Math.max(0, digits.length() - 6)));
        return clips.get((int) (n % clips.size()));
    }

    @Override
    public short[] apply(String called) { return forNumber(called).pcm(); }
}
