package io.trunkline.audio;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads RIFF/WAVE files at any rate from 1 to 384 kHz: linear PCM (8, 16, 24 or 32 bit), 32-bit float, μ-law and
 * A-law (decoded with the G.191-exact {@link G711}), including WAVE_FORMAT_EXTENSIBLE. {@link #read} mixes the
 * channels to mono; {@link #readChannels} keeps them apart. Whole files are read into memory: this is for clips and
 * recordings under test, not for streaming.
 */
public final class WavReader {

    /** A mono clip. */
    public record Clip(short[] samples, int sampleRate) {
        public int durationMs() {
            return (int) ((long) samples.length * 1000 / sampleRate);
        }
    }

    /** A clip with its channels apart: {@code channels[c][i]} is sample i of channel c. */
    public record Channels(short[][] channels, int sampleRate) {
        public int channelCount() {
            return channels.length;
        }

        public short[] channel(int c) {
            return channels[c];
        }

        public int frames() {
            return channels[0].length;
        }
    }

    private static final int FORMAT_PCM = 1;
    private static final int FORMAT_FLOAT = 3;
    private static final int FORMAT_ALAW = 6;
    private static final int FORMAT_MULAW = 7;
    private static final int FORMAT_EXTENSIBLE = 0xFFFE;

    private WavReader() {}

    /** Reads a WAV file and converts it to 8 kHz mono, the rate the detector works at. */
    public static short[] read8k(Path file) throws IOException {
        Clip clip = read(file);
        return Resampler.resample(clip.samples(), clip.sampleRate(), 8000);
    }

    /** Reads a WAV file, channels mixed to mono. */
    public static Clip read(Path file) throws IOException {
        return mix(readChannels(file));
    }

    /** Reads a WAV file with its channels apart. */
    public static Channels readChannels(Path file) throws IOException {
        try {
            return parseChannels(ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN));
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        }
    }

    /** Parses a WAV image, channels mixed to mono; malformed input throws {@link IllegalArgumentException}. */
    public static Clip parse(ByteBuffer b) {
        return mix(parseChannels(b));
    }

    private static Clip mix(Channels c) {
        if (c.channelCount() == 1) {
            return new Clip(c.channel(0), c.sampleRate());
        }
        short[] out = new short[c.frames()];
        for (int i = 0; i < out.length; i++) {
            long sum = 0;
            for (short[] channel : c.channels()) {
                sum += channel[i];
            }
            out[i] = (short) (sum / c.channelCount());
        }
        return new Clip(out, c.sampleRate());
    }

    /** Parses a WAV image; malformed input throws {@link IllegalArgumentException} saying what is wrong. */
    public static Channels parseChannels(ByteBuffer b) {
        if (b.remaining() < 12 || b.getInt(0) != 0x46464952 || b.getInt(8) != 0x45564157) {
            throw new IllegalArgumentException("not a RIFF/WAVE file");
        }
        int pos = 12;
        int format = -1;
        int channels = 0;
        int rate = 0;
        int bits = 0;
        int blockAlign = 0;
        while (pos + 8 <= b.limit()) {
            int id = b.getInt(pos);
            long size = Integer.toUnsignedLong(b.getInt(pos + 4));
            int body = pos + 8;
            if (id == 0x20746d66) { // "fmt "
                if (size < 16 || body + 16 > b.limit()) {
                    throw new IllegalArgumentException("fmt chunk too short: " + size + " bytes");
                }
                format = b.getShort(body) & 0xFFFF;
                channels = b.getShort(body + 2) & 0xFFFF;
                rate = b.getInt(body + 4);
                blockAlign = b.getShort(body + 12) & 0xFFFF;
                bits = b.getShort(body + 14) & 0xFFFF;
                if (format == FORMAT_EXTENSIBLE) {
                    if (size < 40 || body + 26 > b.limit()) {
                        throw new IllegalArgumentException("extensible fmt chunk too short: " + size + " bytes");
                    }
                    format = b.getShort(body + 24) & 0xFFFF; // first two bytes of the sub-format GUID
                }
            } else if (id == 0x61746164) { // "data"
                if (format < 0) {
                    throw new IllegalArgumentException("data chunk before fmt chunk");
                }
                // a size of 0 with bytes following is a streamed file whose header was never fixed (the writer
                // died before close): take the rest of the file, as players do
                long declared = size == 0 ? b.limit() - body : size;
                int length = (int) Math.min(declared, b.limit() - body); // tolerate a truncated last chunk
                return decode(b, body, length, format, channels, rate, bits, blockAlign);
            }
            pos = (int) Math.min(Integer.MAX_VALUE, body + size + (size & 1));
        }
        throw new IllegalArgumentException("no data chunk");
    }

    private static Channels decode(ByteBuffer b, int offset, int length, int format, int channels, int rate, int bits,
            int blockAlign) {
        if (channels < 1 || channels > 32) {
            throw new IllegalArgumentException("channels must be 1..32, got " + channels);
        }
        if (rate < 1000 || rate > 384000) {
            throw new IllegalArgumentException("sample rate must be 1000..384000 Hz, got " + rate);
        }
        int bytesPerSample = switch (format) {
            case FORMAT_PCM -> switch (bits) {
                case 8, 16, 24, 32 -> bits / 8;
                default -> throw new IllegalArgumentException("PCM bits per sample must be 8, 16, 24 or 32, got " + bits);
            };
            case FORMAT_FLOAT -> {
                if (bits != 32) {
                    throw new IllegalArgumentException("float bits per sample must be 32, got " + bits);
                }
                yield 4;
            }
            case FORMAT_ALAW, FORMAT_MULAW -> {
                if (bits != 8) {
                    throw new IllegalArgumentException("G.711 bits per sample must be 8, got " + bits);
                }
                yield 1;
            }
            default -> throw new IllegalArgumentException("unsupported WAV format tag " + format
                    + " (supported: 1 PCM, 3 float, 6 A-law, 7 mu-law)");
        };
        int frameBytes = Math.max(blockAlign, bytesPerSample * channels);
        int frames = length / frameBytes;
        short[][] out = new short[channels][frames];
        for (int f = 0; f < frames; f++) {
            int base = offset + f * frameBytes;
            for (int c = 0; c < channels; c++) {
                out[c][f] = (short) sample(b, base + c * bytesPerSample, format, bytesPerSample);
            }
        }
        return new Channels(out, rate);
    }

    private static int sample(ByteBuffer b, int at, int format, int bytes) {
        return switch (format) {
            case FORMAT_ALAW -> G711.alawToLinear(b.get(at));
            case FORMAT_MULAW -> G711.ulawToLinear(b.get(at));
            case FORMAT_FLOAT -> (int) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, Math.round(b.getFloat(at) * 32768.0)));
            default -> switch (bytes) {
                case 1 -> ((b.get(at) & 0xFF) - 128) << 8;
                case 2 -> b.getShort(at);
                case 3 -> (b.get(at + 2) << 8) | (b.get(at + 1) & 0xFF); // top 16 of 24 bits
                default -> b.getShort(at + 2);
            };
        };
    }
}
