package io.trunkline.media.pipeline;

import io.trunkline.media.assistant.AssistantOutput;
import java.util.ArrayDeque;
import java.util.Objects;

/**
 * The outbound half of a call: a bounded ring of 16-bit PCM at 8 kHz that writers on any thread fill and the
 * session's media clock drains 20 ms at a time. Empty means silence, so the RTP stream stays continuous (carriers
 * and NATs expect it). Marks record the ring position they were written at and fire once the clock has read past it.
 */
public final class PlayoutQueue implements AssistantOutput {

    /** Where the queue's events go; callbacks run on the thread that caused them (clock, or the caller of clear). */
    public interface Listener {
        void onMarkPlayed(String name);

        default void onHangupRequested(String reason) {}

        default void onAssistantDisconnected(String reason) {}
    }

    private record Mark(String name, long position) {}

    private final short[] ring;
    private final ArrayDeque<Mark> marks = new ArrayDeque<>();
    private volatile Listener listener;
    private long head;
    private long tail;
    private long acceptedSamples;
    private long firstAudioAtMillis; // wall clock of the first audio queued for the callee (abandoned-call rule)
    private long droppedWrites;
    private long droppedSamples;
    private long clearedSamples;

    /** @param capacitySamples the most audio queued at once, 160..(60 s at 8 kHz) */
    public PlayoutQueue(int capacitySamples) {
        if (capacitySamples < 160 || capacitySamples > 480_000) {
            throw new IllegalArgumentException("playout capacitySamples=" + capacitySamples + ": must be in 160..480000");
        }
        this.ring = new short[capacitySamples];
    }

    public void setListener(Listener listener) { this.listener = listener; }

    @Override
    public boolean write(short[] pcm, int offset, int samples) {
        Objects.requireNonNull(pcm, "pcm");
        if (offset < 0 || samples < 0 || offset + samples > pcm.length) {
            throw new IndexOutOfBoundsException("pcm offset=" + offset + " samples=" + samples
                    + ": must lie within 0.." + pcm.length);
        }
        synchronized (this) {
            if (samples > ring.length - (tail - head)) {
                droppedWrites++;
                droppedSamples += samples;
                return false;
            }
            int at = (int) (tail % ring.length);
            int first = Math.min(samples, ring.length - at);
            System.arraycopy(pcm, offset, ring, at, first);
            System.arraycopy(pcm, offset + first, ring, 0, samples - first);
            tail += samples;
            if (acceptedSamples == 0 && samples > 0) firstAudioAtMillis = System.currentTimeMillis();
            acceptedSamples += samples;
            return true;
        }
    }

    /** Queues a whole clip (e.g. a prompt); all or nothing, like {@link #write}. */
    public boolean play(short[] clip) { return write(clip, 0, clip.length); }

    @Override
    public void mark(String name) {
        Objects.requireNonNull(name, "mark name");
        synchronized (this) {
            marks.addLast(new Mark(name, tail));
        }
    }

    @Override
    public void clear() {
        synchronized (this) {
            clearedSamples += tail - head;
            head = tail;
        }
        fireReachedMarks();
    }

    @Override
    public void hangup(String reason) {
        Listener l = listener;
        if (l != null) l.onHangupRequested(reason);
    }

    @Override
    public void disconnected(String reason) {
        Listener l = listener;
        if (l != null) l.onAssistantDisconnected(reason);
    }

    /**
     * Reads the next {@code samples} samples into {@code out}, padding with silence when less is queued, then fires
     * the marks the read has passed. Returns how many samples were real audio.
     */
    public int read(short[] out, int samples) {
        int n;
        synchronized (this) {
            n = (int) Math.min(samples, tail - head);
            int at = (int) (head % ring.length);
            int first = Math.min(n, ring.length - at);
            System.arraycopy(ring, at, out, 0, first);
            System.arraycopy(ring, 0, out, first, n - first);
            head += n;
        }
        for (int i = n; i < samples; i++) out[i] = 0;
        fireReachedMarks();
        return n;
    }

    private void fireReachedMarks() {
        while (true) {
            String name;
            synchronized (this) {
                Mark m = marks.peekFirst();
                if (m == null || m.position > head) return;
                marks.pollFirst();
                name = m.name;
            }
            Listener l = listener;
            if (l != null) l.onMarkPlayed(name);
        }
    }

    public synchronized int queuedSamples() { return (int) (tail - head); }

    public int capacitySamples() { return ring.length; }

    public synchronized long acceptedSamples() { return acceptedSamples; }

    /** When the first audio (the assistant's, or a prompt) was queued for the callee, epoch ms; 0 when none was. */
    public synchronized long firstAudioAtMillis() { return firstAudioAtMillis; }

    /** Writes refused because the queue was full. */
    public synchronized long droppedWrites() { return droppedWrites; }

    public synchronized long droppedSamples() { return droppedSamples; }

    /** Samples dropped by {@link #clear()} (barge-in). */
    public synchronized long clearedSamples() { return clearedSamples; }
}
