package io.trunkline.media.jitter;

import io.trunkline.media.codec.AudioCodec;
import io.trunkline.media.codec.G711Codec;
import java.util.Arrays;

/**
 * Per-session adaptive jitter buffer. Packets are filed by extended sequence number, so reordering within the
 * buffer's reach is undone for free; one packet is played per 20 ms pull (the engine offers {@code a=ptime:20}).
 *
 * <p>Depth: playout starts once {@link #targetDepth()} frames are buffered. The target follows the RFC 3550 A.8
 * interarrival jitter J as 3·J (J is a mean deviation, so 3·J covers nearly all of the spread), clamped to
 * [min, max] ms. When the buffer holds more than target + 2 frames for a whole second one frame is dropped, so the
 * delay shrinks back after a jitter spike; when it runs dry for {@link #UNDERRUN_FRAMES} pulls, playout stops and
 * re-primes at the (then larger) target.
 *
 * <p>Resync (everything buffered is dropped and playout re-primes): a new SSRC, a sequence jump beyond the
 * buffer's reach, or an audio timestamp more than {@link #TIMESTAMP_JUMP_MS} ms away from where the sequence number
 * puts it (a sender that restarted its stream).
 *
 * <p>Concealment of a missing frame: the codec's own PLC when it has one ({@link AudioCodec#decodeLost}); for
 * G.711 the last good frame repeated and faded to silence over {@link #FADE_FRAMES} frames; otherwise silence.
 *
 * <p>Thread-safe: {@link #insert} runs on the media ring's handler thread and {@link #pull} on a clock thread.
 * Nothing is allocated after construction.
 */
public final class JitterBuffer {
    /** What {@link #pull} produced. */
    public enum Frame { AUDIO, CONCEALED, SILENCE }

    public static final int FRAME_MS = 20;
    static final int UNDERRUN_FRAMES = 5;
    static final int FADE_FRAMES = 5;
    static final int TIMESTAMP_JUMP_MS = 2_000;
    private static final int SHRINK_AFTER_FRAMES = 1_000 / FRAME_MS;
    private static final int SHRINK_MARGIN = 2;
    /** Extended sequence numbers start here so that packets slightly older than the first stay positive. */
    private static final long SEQ_BASE = 1L << 20;

    private final AudioCodec codec;
    private final boolean repeatAndFade;
    private final int frameSamples;
    private final int tsPerFrame;
    private final int minFrames;
    private final int maxFrames;
    private final int mask;
    private final byte[][] payload;
    private final int[] length;
    private final long[] slotSeq;
    private final boolean[] event;
    private final short[] lastGood;

    private boolean haveStream;
    private long ssrc;
    private long highestSeq;
    private long lastAudioSeq = -1;
    private long lastAudioTs;
    private int count;
    private boolean playing;
    private long playSeq;
    private long lastPlayedSeq = -1;
    private long lastRealSeq = -1;
    private int missingRun;
    private int shrinkRun;
    private long arrivalBaseNanos;
    private boolean haveTransit;
    private long lastTransit;
    private double jitterTs;
    private int targetFrames;

    private long received;
    private long played;
    private long late;
    private long duplicates;
    private long discarded;
    private long lost;
    private long underruns;
    private long concealed;
    private long resyncs;

    /**
     * @param codec           decodes payloads to PCM; its sample rate sets the frame size
     * @param minMs           lowest target depth, 20..maxMs
     * @param maxMs           highest target depth, minMs..1000
     * @param maxPayloadBytes largest payload kept; larger packets are discarded
     */
    public JitterBuffer(AudioCodec codec, int minMs, int maxMs, int maxPayloadBytes) {
        if (minMs < FRAME_MS || minMs > 1_000) {
            throw new IllegalArgumentException("jitter minMs=" + minMs + ": must be in 20..1000");
        }
        if (maxMs < minMs || maxMs > 1_000) {
            throw new IllegalArgumentException("jitter maxMs=" + maxMs + ": must be in " + minMs + "..1000");
        }
        if (maxPayloadBytes < 1 || maxPayloadBytes > 65_507) {
            throw new IllegalArgumentException("maxPayloadBytes=" + maxPayloadBytes + ": must be in 1..65507");
        }
        this.codec = codec;
        this.repeatAndFade = codec instanceof G711Codec;
        this.frameSamples = codec.sampleRate() / (1_000 / FRAME_MS);
        this.tsPerFrame = codec.rtpClockRate() / (1_000 / FRAME_MS);
        this.minFrames = (minMs + FRAME_MS - 1) / FRAME_MS;
        this.maxFrames = (maxMs + FRAME_MS - 1) / FRAME_MS;
        // The ring reaches the deepest target plus a few frames of reordering: 16 slots up to 200 ms.
        int capacity = Integer.highestOneBit(Math.max(16, maxFrames + 6) - 1) << 1;
        this.mask = capacity - 1;
        this.payload = new byte[capacity][maxPayloadBytes];
        this.length = new int[capacity];
        this.slotSeq = new long[capacity];
        this.event = new boolean[capacity];
        this.lastGood = new short[frameSamples];
        this.targetFrames = minFrames;
        Arrays.fill(slotSeq, -1);
    }

    /** PCM samples per pull. */
    public int frameSamples() { return frameSamples; }

    /**
     * Files one received packet. {@code telephoneEvent} packets (RFC 4733) share the stream's sequence space: they
     * hold their place so that no loss is concealed, and play as silence.
     */
    public synchronized void insert(long ssrc, int sequence, long timestamp, byte[] data, int offset, int len,
                                    long arrivalNanos, boolean telephoneEvent) {
        received++;
        if (len > payload[0].length) {
            discarded++;
            return;
        }
        if (haveStream && ssrc != this.ssrc) resync();
        if (!haveStream) {
            haveStream = true;
            this.ssrc = ssrc;
            highestSeq = SEQ_BASE + sequence;
            arrivalBaseNanos = arrivalNanos;
        }
        long ext = highestSeq + (short) (sequence - (int) highestSeq);
        if (Math.abs(ext - highestSeq) > mask || timestampJumped(ext, timestamp, telephoneEvent)) {
            resync();
            haveStream = true;
            this.ssrc = ssrc;
            ext = highestSeq = SEQ_BASE + sequence;
            arrivalBaseNanos = arrivalNanos;
        }
        if (ext > highestSeq) highestSeq = ext;
        if (!telephoneEvent) {
            if (ext > lastAudioSeq) {
                lastAudioSeq = ext;
                lastAudioTs = timestamp;
            }
            updateJitter(timestamp, arrivalNanos);
        }
        if (ext <= lastPlayedSeq || (playing && ext < playSeq)) {
            late++;
            return;
        }
        if (playing && ext - playSeq > mask) {
            // Further ahead than the ring reaches: make room by dropping the oldest frames.
            while (ext - playSeq > mask) dropHead();
        }
        int i = (int) (ext & mask);
        if (slotSeq[i] == ext) {
            duplicates++;
            return;
        }
        if (slotSeq[i] >= 0) {
            // The slot holds an older packet the ring has wrapped past while priming: it can no longer play.
            discarded++;
            count--;
        }
        slotSeq[i] = ext;
        length[i] = len;
        event[i] = telephoneEvent;
        System.arraycopy(data, offset, payload[i], 0, len);
        count++;
    }

    /** Writes {@link #frameSamples()} samples of the next 20 ms into {@code pcm}. */
    public synchronized Frame pull(short[] pcm) {
        if (!playing) {
            if (count < targetFrames || count == 0) {
                Arrays.fill(pcm, 0, frameSamples, (short) 0);
                return Frame.SILENCE;
            }
            playing = true;
            playSeq = lowestBuffered();
            missingRun = 0;
            shrinkRun = 0;
        }
        int i = (int) (playSeq & mask);
        if (slotSeq[i] == playSeq) {
            Frame f = playSlot(i, pcm);
            if (count > targetFrames + SHRINK_MARGIN) {
                if (++shrinkRun >= SHRINK_AFTER_FRAMES) {
                    dropHead();
                    shrinkRun = 0;
                }
            } else {
                shrinkRun = 0;
            }
            return f;
        }
        // With a later packet buffered this one is missing; with none, the stream has run dry (late, or paused).
        if (count > 0) lost++; else underruns++;
        lastPlayedSeq = playSeq++;
        missingRun++;
        Frame f = conceal(pcm);
        if (count == 0 && missingRun >= UNDERRUN_FRAMES) {
            // The stream has paused (silence suppression, hold) rather than lost packets: stop and re-prime, and
            // forget the concealed sequence numbers so that a talkspurt resuming right after the last real packet
            // is not taken for late.
            playing = false;
            lastPlayedSeq = lastRealSeq;
        }
        return f;
    }

    private Frame playSlot(int i, short[] pcm) {
        Frame f;
        if (event[i]) {
            Arrays.fill(pcm, 0, frameSamples, (short) 0);
            Arrays.fill(lastGood, (short) 0);
            f = Frame.SILENCE;
        } else {
            int n = codec.decode(payload[i], 0, length[i], pcm);
            if (n < frameSamples) Arrays.fill(pcm, Math.max(n, 0), frameSamples, (short) 0);
            System.arraycopy(pcm, 0, lastGood, 0, frameSamples);
            f = Frame.AUDIO;
        }
        slotSeq[i] = -1;
        count--;
        played++;
        missingRun = 0;
        lastRealSeq = playSeq;
        lastPlayedSeq = playSeq++;
        return f;
    }

    private Frame conceal(short[] pcm) {
        if (codec.decodeLost(pcm, frameSamples) >= 0) {
            concealed++;
            return Frame.CONCEALED;
        }
        if (repeatAndFade && missingRun <= FADE_FRAMES) {
            // Gain ramps linearly from (1 - (k-1)/F) to (1 - k/F) across the k-th missing frame (Q15).
            int startGain = 32768 * (FADE_FRAMES - missingRun + 1) / FADE_FRAMES;
            int endGain = 32768 * (FADE_FRAMES - missingRun) / FADE_FRAMES;
            for (int s = 0; s < frameSamples; s++) {
                int g = startGain + (endGain - startGain) * s / frameSamples;
                pcm[s] = (short) ((lastGood[s] * g) >> 15);
            }
            concealed++;
            return Frame.CONCEALED;
        }
        Arrays.fill(pcm, 0, frameSamples, (short) 0);
        return Frame.SILENCE;
    }

    private boolean timestampJumped(long ext, long timestamp, boolean telephoneEvent) {
        if (telephoneEvent || lastAudioSeq < 0) return false;
        long expected = lastAudioTs + (ext - lastAudioSeq) * tsPerFrame;
        long off = Math.abs((long) (int) (timestamp - expected));
        return off > (long) TIMESTAMP_JUMP_MS * (tsPerFrame * (1_000 / FRAME_MS)) / 1_000;
    }

    private void updateJitter(long timestamp, long arrivalNanos) {
        // RFC 3550 A.8 in timestamp units: transit = arrival - timestamp; J += (|D| - J) / 16.
        long arrivalTs = (arrivalNanos - arrivalBaseNanos) * (tsPerFrame * (1_000 / FRAME_MS)) / 1_000_000_000L;
        long transit = arrivalTs - timestamp;
        if (haveTransit) {
            long d = Math.abs((long) (int) (transit - lastTransit));
            jitterTs += (d - jitterTs) / 16.0;
            int frames = (int) Math.ceil(3 * jitterTs / tsPerFrame);
            targetFrames = Math.max(minFrames, Math.min(maxFrames, frames));
        }
        haveTransit = true;
        lastTransit = transit;
    }

    private long lowestBuffered() {
        long lowest = Long.MAX_VALUE;
        for (long s : slotSeq) if (s >= 0 && s < lowest) lowest = s;
        return lowest;
    }

    private void dropHead() {
        int i = (int) (playSeq & mask);
        if (slotSeq[i] == playSeq) {
            slotSeq[i] = -1;
            count--;
            discarded++;
        }
        lastPlayedSeq = playSeq++;
    }

    private void resync() {
        Arrays.fill(slotSeq, -1);
        count = 0;
        playing = false;
        haveStream = false;
        haveTransit = false;
        lastAudioSeq = -1;
        lastPlayedSeq = -1;
        lastRealSeq = -1;
        missingRun = 0;
        resyncs++;
    }

    /** Frames buffered now. */
    public synchronized int depth() { return count; }

    /** Frames playout waits for (and aims to hold), from measured jitter. */
    public synchronized int targetDepth() { return targetFrames; }

    /** RFC 3550 A.8 interarrival jitter in milliseconds. */
    public synchronized double jitterMs() { return jitterTs * 1_000.0 / (tsPerFrame * (1_000 / FRAME_MS)); }

    public synchronized long received() { return received; }

    public synchronized long played() { return played; }

    /** Packets that arrived after their play time had passed. */
    public synchronized long late() { return late; }

    public synchronized long duplicates() { return duplicates; }

    /** Packets dropped unplayed: oversize, ring overflow, or dropped to shrink the delay. */
    public synchronized long discarded() { return discarded; }

    /** Frames whose packet was missing at play time while a later packet was already buffered. */
    public synchronized long lost() { return lost; }

    /** Pulls that found the buffer empty while playing (a late packet, or the stream pausing). */
    public synchronized long underruns() { return underruns; }

    /** Missing frames filled by concealment rather than silence. */
    public synchronized long concealed() { return concealed; }

    public synchronized long resyncs() { return resyncs; }
}
