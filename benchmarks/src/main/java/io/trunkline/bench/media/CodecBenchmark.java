package io.trunkline.bench.media;

import io.trunkline.media.codec.G711Codec;
import io.trunkline.media.codec.OpusCodec;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Codec cost per 20 ms frame of speech-like audio, in µs. Real-time factor = 20,000 µs / score. Opus is 48 kHz mono
 * at the codec's defaults (32 kbit/s, complexity 5), through whichever libopus OpusCodec loaded (Debian's first).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class CodecBenchmark {

    private static final int FRAMES = 50;

    private short[][] frames8k;
    private short[][] frames48k;
    private byte[][] opusPackets;
    private int[] opusLengths;
    private final byte[] payload = new byte[OpusCodec.MAX_PACKET_BYTES];
    private final short[] decoded = new short[OpusCodec.FRAME_SAMPLES];
    private OpusCodec opus;
    private int next;

    @Setup
    public void setUp() {
        frames8k = split(SpeechLike.samples(8000, 160 * FRAMES, 1), 160);
        frames48k = split(SpeechLike.samples(48000, 960 * FRAMES, 1), 960);
        opus = new OpusCodec();
        opusPackets = new byte[FRAMES][];
        opusLengths = new int[FRAMES];
        try (OpusCodec encoder = new OpusCodec()) {
            for (int f = 0; f < FRAMES; f++) {
                opusPackets[f] = new byte[OpusCodec.MAX_PACKET_BYTES];
                opusLengths[f] = encoder.encode(frames48k[f], 960, opusPackets[f], 0);
            }
        }
    }

    @TearDown
    public void tearDown() {
        opus.close();
        if (OpusCodec.liveHandles() != 0) {
            throw new IllegalStateException(OpusCodec.liveHandles() + " opus handles left open");
        }
    }

    private static short[][] split(short[] pcm, int frame) {
        short[][] out = new short[pcm.length / frame][frame];
        for (int f = 0; f < out.length; f++) {
            System.arraycopy(pcm, f * frame, out[f], 0, frame);
        }
        return out;
    }

    private int advance() {
        int f = next;
        next = f + 1 == FRAMES ? 0 : f + 1;
        return f;
    }

    /** PCMU encode then decode of one 160-sample frame. */
    @Benchmark
    public short ulawEncodeDecode() {
        int f = advance();
        int n = G711Codec.PCMU.encode(frames8k[f], 160, payload, 0);
        G711Codec.PCMU.decode(payload, 0, n, decoded);
        return decoded[17];
    }

    @Benchmark
    public int opusEncode() {
        return opus.encode(frames48k[advance()], 960, payload, 0);
    }

    @Benchmark
    public short opusDecode() {
        int f = advance();
        opus.decode(opusPackets[f], 0, opusLengths[f], decoded);
        return decoded[17];
    }

    /**
     * One packet decoded, then the next one lost and concealed: 50 % loss. Concealment repeated without packets
     * in between fades to silence and gets cheap, so it is measured after a real packet; its own cost is this
     * score minus opusDecode's.
     */
    @Benchmark
    public short opusDecodeThenConceal() {
        int f = advance();
        opus.decode(opusPackets[f], 0, opusLengths[f], decoded);
        opus.decodeLost(decoded, 960);
        return decoded[17];
    }
}
