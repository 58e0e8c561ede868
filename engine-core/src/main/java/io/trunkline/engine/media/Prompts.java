package io.trunkline.engine.media;

import io.trunkline.audio.WavReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The WAV prompts calls play (the prompt, the assistant fallback, the voicemail message), decoded to 8 kHz once and
 * shared: a campaign plays the same few files on every call, and decoding and resampling them per call cost file
 * I/O on the engine's media timer. A file is read again when its size or modification time changes. The most
 * recently used {@value #MAX_CLIPS} are kept, so per-call files (a generated message each) cannot grow the cache.
 * The arrays are shared: callers only read them.
 */
public final class Prompts {
    static final int MAX_CLIPS = 32;

    private record Clip(FileTime modified, long size, short[] pcm) {}

    private final Map<Path, Clip> clips = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Path, Clip> eldest) { return size() > MAX_CLIPS; }
    };

    /** The file's audio at 8 kHz mono. */
    public short[] get(Path file) throws IOException {
        BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
        synchronized (clips) {
            Clip c = clips.get(file);
            if (c != null && c.modified().equals(a.lastModifiedTime()) && c.size() == a.size()) return c.pcm();
        }
        Clip fresh = new Clip(a.lastModifiedTime(), a.size(), WavReader.read8k(file)); // decoded outside the lock
        synchronized (clips) {
            clips.put(file, fresh);
        }
        return fresh.pcm();
    }
}
