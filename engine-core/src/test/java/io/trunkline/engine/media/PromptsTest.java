package io.trunkline.engine.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.trunkline.audio.Tones;
import io.trunkline.audio.WavWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PromptsTest {
    @TempDir
    Path dir;

    private static void write(Path f, int rate, int samples) throws Exception {
        try (WavWriter w = WavWriter.create(f, rate, 1, WavWriter.Encoding.PCM16)) {
            short[] tone = Tones.sine(440, 8000, samples, rate);
            w.writeMono(tone, 0, tone.length);
        }
    }

    @Test
    void aPromptIsDecodedOnceAndReadAgainWhenTheFileChanges() throws Exception {
        Path f = dir.resolve("prompt.wav");
        write(f, 16_000, 16_000);
        Prompts prompts = new Prompts();
        short[] first = prompts.get(f);
        assertEquals(8_000, first.length, "one second, resampled to 8 kHz");
        assertSame(first, prompts.get(f), "the second call shares the decoded clip");

        write(f, 8_000, 4_000);
        Files.setLastModifiedTime(f, FileTime.fromMillis(Files.getLastModifiedTime(f).toMillis() + 2_000));
        short[] changed = prompts.get(f);
        assertNotSame(first, changed);
        assertEquals(4_000, changed.length, "the new contents");
    }
}
