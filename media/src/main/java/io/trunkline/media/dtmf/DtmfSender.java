package io.trunkline.media.dtmf;

import java.util.ArrayDeque;

/**
 * Plays {@link SendDigits} as RFC 4733 telephone-events. The media clock calls {@link #tick} every 20 ms; when a
 * packet is due the sender writes its 4-byte payload into the caller's buffer and says which RTP timestamp and
 * marker bit to send it with. Per event: the first packet carries the marker, every packet carries the timestamp
 * of the event's first tick and the duration so far, and the end packet (E bit, final duration) goes out on three
 * consecutive ticks. Tones are at least {@value #MIN_GAP_MS} ms apart; waits add to the gap. While
 * {@link #isToneActive()} the caller should send no voice (the peer plays the tone instead).
 *
 * <p>{@link #tick} allocates nothing; {@link #send} queues a parsed string (call setup work). Not thread-safe: the
 * media thread owns it; hand strings over through the media path's own queue.
 */
public final class DtmfSender {

    public static final int PACKET_MS = 20;
    public static final int MIN_GAP_MS = 50;
    public static final int DEFAULT_GAP_MS = 100;
    /** dBm0 below 0, RFC 4733's volume field: 10 is the usual level for DTMF. */
    public static final int DEFAULT_VOLUME = 10;
    private static final int END_COPIES = 3;

    private enum State { IDLE, SILENT, TONE, END }

    private final int clockRate;
    private final int unitsPerPacket;
    private final int gapMs;
    private final int volume;
    private final ArrayDeque<SendDigits> queue = new ArrayDeque<>();

    private SendDigits current;
    private int step;
    private State state = State.IDLE;
    /** Ticks seen so far; times below are in ticks (20 ms). */
    private long now;
    /** Earliest tick at which the next tone may start, in ms since tick 0. */
    private long nextToneAtMs;
    private int event;
    private int toneUnits;
    private int eventTimestamp;
    private int elapsedUnits;
    private int endCopiesLeft;
    private boolean firstPacket;
    // what the last tick wrote
    private boolean marker;
    private int timestamp;

    /** telephone-event/8000, 100 ms between tones, volume 10. */
    public DtmfSender() {
        this(8000, DEFAULT_GAP_MS, DEFAULT_VOLUME);
    }

    /**
     * @param clockRate the RTP clock of the audio stream the events ride on (8000..48000); durations are in its
     *                  units (RFC 4733 §2.1: events share the audio's timestamp base)
     * @param gapMs silence between tones, at least {@value #MIN_GAP_MS} ms (rounded up to whole 20 ms ticks)
     * @param volume 0..63, the power level in -dBm0
     */
    public DtmfSender(int clockRate, int gapMs, int volume) {
        if (clockRate < 8000 || clockRate > 48000 || clockRate % 50 != 0) {
            throw new IllegalArgumentException("telephone-event clock rate must be 8000..48000 Hz and a multiple of 50,"
                    + " got " + clockRate);
        }
        if (gapMs < MIN_GAP_MS || gapMs > 10_000) {
            throw new IllegalArgumentException("DTMF gap must be " + MIN_GAP_MS + "..10000 ms, got " + gapMs);
        }
        if (volume < 0 || volume > 63) {
            throw new IllegalArgumentException("DTMF volume must be 0..63 (-dBm0), got " + volume);
        }
        this.clockRate = clockRate;
        this.unitsPerPacket = clockRate / 50;
        this.gapMs = gapMs;
        this.volume = volume;
    }

    /**
     * Queues digits to play after whatever is queued already.
     *
     * @throws IllegalArgumentException when a tone is too long for the 16-bit duration field at this clock rate
     *         (1365 ms at 48 kHz; long-event segmentation is not implemented)
     */
    public void send(SendDigits digits) {
        checkFits(digits, clockRate);
        queue.add(digits);
    }

    /**
     * @throws IllegalArgumentException when a tone of {@code digits} is too long for the 16-bit duration field at
     *         {@code clockRate} (8191 ms at 8 kHz, 1365 ms at 48 kHz; long-event segmentation is not implemented)
     */
    public static void checkFits(SendDigits digits, int clockRate) {
        for (int s = 0; s < digits.steps(); s++) {
            if (!digits.isWait(s) && (long) digits.lengthMs(s) * clockRate / 1000 > 0xFFFF) {
                throw new IllegalArgumentException("tone of " + digits.lengthMs(s) + " ms at step " + (s + 1)
                        + " exceeds the telephone-event duration field at " + clockRate + " Hz (max "
                        + 0xFFFF * 1000L / clockRate + " ms)");
            }
        }
    }

    /** Nothing playing and nothing queued. */
    public boolean isIdle() {
        return state == State.IDLE && queue.isEmpty();
    }

    /** A tone is sounding (its end packets not yet sent): voice should be suppressed. */
    public boolean isToneActive() {
        return state == State.TONE;
    }

    /** Drops everything queued and stops the current tone after its end packets. */
    public void cancel() {
        queue.clear();
        current = null;
        if (state == State.SILENT) {
            state = State.IDLE;
        } else if (state == State.TONE) {
            toneUnits = Math.max(elapsedUnits, unitsPerPacket); // end now
        }
    }

    /**
     * Advances the sender by one 20 ms packet time.
     *
     * @param rtpTimestamp the RTP timestamp (telephone-event clock) of this tick's packet
     * @param out receives the 4-byte payload at {@code offset} when a packet is due
     * @return true when a packet was written; then {@link #marker()} and {@link #timestamp()} describe it
     */
    public boolean tick(int rtpTimestamp, byte[] out, int offset) {
        long tickMs = now * PACKET_MS;
        now++;
        if (state == State.IDLE || state == State.SILENT) {
            if (!nextTone(tickMs)) {
                return false;
            }
            eventTimestamp = rtpTimestamp;
            elapsedUnits = 0;
            firstPacket = true;
            state = State.TONE;
        }
        if (state == State.TONE) {
            elapsedUnits += unitsPerPacket;
            marker = firstPacket;
            firstPacket = false;
            timestamp = eventTimestamp;
            if (elapsedUnits < toneUnits) {
                write(out, offset, false, elapsedUnits);
                return true;
            }
            state = State.END;
            endCopiesLeft = END_COPIES - 1;
            write(out, offset, true, toneUnits);
            return true;
        }
        // State.END: the repeated end packets, identical to the first
        marker = false;
        timestamp = eventTimestamp;
        write(out, offset, true, toneUnits);
        if (--endCopiesLeft == 0) {
            state = current != null || !queue.isEmpty() ? State.SILENT : State.IDLE;
        }
        return true;
    }

    /** The marker bit for the packet the last {@link #tick} wrote: set on an event's first packet only. */
    public boolean marker() {
        return marker;
    }

    /** The RTP timestamp for the packet the last {@link #tick} wrote: the event's start, the same for all. */
    public int timestamp() {
        return timestamp;
    }

    /** Walks waits until a tone is due at this tick; false when none is. Sets up the tone when one is. */
    private boolean nextTone(long tickMs) {
        while (true) {
            if (current == null) {
                current = queue.poll();
                if (current == null) {
                    state = State.IDLE;
                    return false;
                }
                step = 0;
                nextToneAtMs = Math.max(nextToneAtMs, tickMs);
            }
            if (step == current.steps()) {
                current = null;
                continue;
            }
            if (current.isWait(step)) {
                nextToneAtMs += current.lengthMs(step++);
                continue;
            }
            if (nextToneAtMs > tickMs) {
                state = State.SILENT;
                return false;
            }
            event = current.event(step);
            int toneMs = current.lengthMs(step++);
            toneUnits = (int) ((long) toneMs * clockRate / 1000);
            // the gap counts from the tone's nominal end; ticks round it up, never down
            nextToneAtMs = tickMs + toneMs + gapMs;
            return true;
        }
    }

    private void write(byte[] out, int offset, boolean end, int duration) {
        out[offset] = (byte) event;
        out[offset + 1] = (byte) ((end ? 0x80 : 0) | volume);
        out[offset + 2] = (byte) (duration >> 8);
        out[offset + 3] = (byte) duration;
    }
}
