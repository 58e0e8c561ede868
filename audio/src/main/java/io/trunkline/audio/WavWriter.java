package io.trunkline.audio;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Streams a mono or two-channel WAV file to disk: 16-bit linear PCM, or 8-bit μ-law / A-law (G.191-exact). Samples
 * go through a fixed 64 KiB buffer, so a recording of any length uses constant memory and the write calls allocate
 * nothing. The RIFF and data sizes cannot be known up front: the header is written with zero sizes and fixed by
 * {@link #close()}; if the process dies first, {@link WavReader} still reads what reached the file. Not thread-safe:
 * one writer thread owns it.
 */
public final class WavWriter implements AutoCloseable {

    /** How samples are stored. */
    public enum Encoding {
        PCM16(1, 2),
        ALAW(6, 1),
        MULAW(7, 1);

        final int formatTag;
        final int bytesPerSample;

        Encoding(int formatTag, int bytesPerSample) {
            this.formatTag = formatTag;
            this.bytesPerSample = bytesPerSample;
        }
    }

    private static final int BUFFER_BYTES = 64 * 1024;
    /** RIFF sizes are 32-bit: the data may not grow past this (about 74 hours of 8 kHz 16-bit mono). */
    private static final long MAX_DATA_BYTES = 0xFFFFFFFFL - 64;

    private final FileChannel channel;
    private final Path file;
    private final int sampleRate;
    private final int channels;
    private final Encoding encoding;
    private final int headerBytes;
    private final ByteBuffer buffer = ByteBuffer.allocate(BUFFER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
    private long dataBytes;
    private boolean closed;

    private WavWriter(FileChannel channel, Path file, int sampleRate, int channels, Encoding encoding) {
        this.channel = channel;
        this.file = file;
        this.sampleRate = sampleRate;
        this.channels = channels;
        this.encoding = encoding;
        // non-PCM formats carry cbSize and a fact chunk (sample count), as the WAVE spec asks
        this.headerBytes = encoding == Encoding.PCM16 ? 44 : 58;
    }

    /**
     * Creates (or truncates) {@code file}.
     *
     * @param sampleRate 1000..384000 Hz
     * @param channels 1 (mono) or 2 (interleaved left, right)
     */
    public static WavWriter create(Path file, int sampleRate, int channels, Encoding encoding) throws IOException {
        if (sampleRate < 1000 || sampleRate > 384000) {
            throw new IllegalArgumentException("sample rate must be 1000..384000 Hz, got " + sampleRate);
        }
        if (channels != 1 && channels != 2) {
            throw new IllegalArgumentException("channels must be 1 or 2, got " + channels);
        }
        FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING);
        WavWriter w = new WavWriter(ch, file, sampleRate, channels, encoding);
        w.fillHeader(w.buffer); // placeholder sizes, fixed by close()
        return w;
    }

    public Path file() {
        return file;
    }

    public int sampleRate() {
        return sampleRate;
    }

    public int channels() {
        return channels;
    }

    /** Sample frames (one sample per channel) written so far. */
    public long frames() {
        return dataBytes / ((long) channels * encoding.bytesPerSample);
    }

    public long durationMs() {
        return frames() * 1000 / sampleRate;
    }

    /** Appends {@code length} samples of a mono stream. */
    public void writeMono(short[] pcm, int offset, int length) throws IOException {
        if (channels != 1) {
            throw new IllegalStateException("writeMono on a " + channels + "-channel file");
        }
        reserve(length);
        for (int i = 0; i < length; i++) {
            put(pcm[offset + i]);
        }
    }

    /** Appends {@code length} frames of a two-channel stream: left[i], right[i] interleaved. */
    public void writeStereo(short[] left, short[] right, int offset, int length) throws IOException {
        if (channels != 2) {
            throw new IllegalStateException("writeStereo on a " + channels + "-channel file");
        }
        reserve((long) length * 2);
        for (int i = 0; i < length; i++) {
            put(left[offset + i]);
            put(right[offset + i]);
        }
    }

    /** Writes what is buffered and fixes the header; the file is a valid WAV after this returns. */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if ((dataBytes & 1) != 0) {
                buffer.put((byte) 0); // RIFF chunks are padded to an even length
            }
            drain();
            ByteBuffer header = ByteBuffer.allocate(headerBytes).order(ByteOrder.LITTLE_ENDIAN);
            fillHeader(header);
            header.flip();
            long at = 0;
            while (header.hasRemaining()) {
                at += channel.write(header, at);
            }
        } finally {
            channel.close();
        }
    }

    private void reserve(long samples) throws IOException {
        if (closed) {
            throw new IllegalStateException("writer for " + file + " is closed");
        }
        long bytes = samples * encoding.bytesPerSample;
        if (dataBytes + bytes > MAX_DATA_BYTES) {
            throw new IOException(file + ": WAV data would exceed the 4 GiB RIFF limit");
        }
        dataBytes += bytes;
    }

    private void put(short sample) throws IOException {
        if (buffer.remaining() < 2) {
            drain();
        }
        switch (encoding) {
            case PCM16 -> buffer.putShort(sample);
            case MULAW -> buffer.put(G711.linearToUlaw(sample));
            case ALAW -> buffer.put(G711.linearToAlaw(sample));
        }
    }

    private void drain() throws IOException {
        buffer.flip();
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
        buffer.clear();
    }

    private void fillHeader(ByteBuffer b) {
        int blockAlign = channels * encoding.bytesPerSample;
        long padded = dataBytes + (dataBytes & 1);
        b.putInt(0x46464952); // "RIFF"
        b.putInt((int) (headerBytes - 8 + padded));
        b.putInt(0x45564157); // "WAVE"
        b.putInt(0x20746d66); // "fmt "
        b.putInt(encoding == Encoding.PCM16 ? 16 : 18);
        b.putShort((short) encoding.formatTag);
        b.putShort((short) channels);
        b.putInt(sampleRate);
        b.putInt(sampleRate * blockAlign);
        b.putShort((short) blockAlign);
        b.putShort((short) (encoding.bytesPerSample * 8));
        if (encoding != Encoding.PCM16) {
            b.putShort((short) 0); // cbSize
            b.putInt(0x74636166); // "fact"
            b.putInt(4);
            b.putInt((int) frames());
        }
        b.putInt(0x61746164); // "data"
        b.putInt((int) dataBytes);
    }
}
