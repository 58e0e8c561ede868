package io.trunkline.media.dtmf;

/**
 * Turns received RFC 4733 telephone-event payloads into digits, each reported exactly once. An event is identified by
 * its RTP timestamp: the first packet seen for a new timestamp starts it (a lost marker packet does not matter), the
 * first end packet reports it with its final duration, and repeated end packets are ignored. If every end packet is
 * lost, the event is reported when the next event starts or, failing that, when {@link #onTimestamp} shows the
 * stream has moved past it. Packets of an earlier event arriving late are ignored.
 *
 * <p>Payloads that are not 4 bytes or whose event is not DTMF (0-15) are counted and dropped. Nothing here
 * allocates. Not thread-safe: the media thread that receives the packets owns it.
 */
public final class DtmfReceiver {

    /** Receives each digit once, on the media thread. */
    @FunctionalInterface
    public interface Listener {
        /**
         * @param digit 0-9, *, #, A-D
         * @param rtpTimestamp the event's RTP timestamp: its start, in the telephone-event clock
         * @param durationMs how long the tone sounded, from the last duration reported by the sender
         * @param ended false when no end packet arrived and the event was closed by what followed it
         */
        void onDigit(char digit, int rtpTimestamp, int durationMs, boolean ended);
    }

    /** An event with no packet for this long (in packet times) past its last reported duration is over. */
    private static final int STALE_PACKETS = 6;

    private final int clockRate;
    private final Listener listener;
    private boolean active;
    private boolean reported;
    private int eventTimestamp;
    private int event;
    private int duration;
    private long malformed;
    private long digits;

    /** @param clockRate the telephone-event clock rate from the SDP */
    public DtmfReceiver(int clockRate, Listener listener) {
        if (clockRate < 8000 || clockRate > 48000) {
            throw new IllegalArgumentException("telephone-event clock rate must be 8000..48000 Hz, got " + clockRate);
        }
        this.clockRate = clockRate;
        this.listener = listener;
    }

    /** Payloads dropped for a wrong length or a non-DTMF event code. */
    public long malformed() {
        return malformed;
    }

    /** Digits reported so far. */
    public long digits() {
        return digits;
    }

    /** Handles one telephone-event packet's payload; {@code rtpTimestamp} is from its RTP header. */
    public void onPacket(int rtpTimestamp, byte[] payload, int offset, int length) {
        if (length != 4) {
            malformed++;
            return;
        }
        int code = payload[offset] & 0xFF;
        if (code > 15) {
            malformed++;
            return;
        }
        boolean end = (payload[offset + 1] & 0x80) != 0;
        int packetDuration = ((payload[offset + 2] & 0xFF) << 8) | (payload[offset + 3] & 0xFF);

        if (!active || rtpTimestamp != eventTimestamp) {
            if (active && rtpTimestamp - eventTimestamp < 0) {
                return; // a late packet of an event already replaced (serial-number comparison, wraps)
            }
            finishUnended();
            active = true;
            reported = false;
            eventTimestamp = rtpTimestamp;
            event = code;
            duration = packetDuration;
        } else if (code != event) {
            malformed++; // one timestamp, two events: not a sender following RFC 4733
            return;
        } else {
            duration = Math.max(duration, packetDuration);
        }
        if (end && !reported) {
            report(true);
        }
    }

    /**
     * Tells the receiver how far the stream has got (the RTP timestamp of a voice packet, converted to the
     * telephone-event clock if the rates differ), so an event whose end packets were all lost is reported without
     * waiting for the next one.
     */
    public void onTimestamp(int rtpTimestamp) {
        if (active && !reported
                && rtpTimestamp - (eventTimestamp + duration) > STALE_PACKETS * (clockRate / 50)) {
            report(false);
        }
    }

    private void finishUnended() {
        if (active && !reported) {
            report(false);
        }
    }

    private void report(boolean ended) {
        reported = true;
        digits++;
        listener.onDigit(DtmfEvents.digit(event), eventTimestamp, (int) ((long) duration * 1000 / clockRate), ended);
    }
}
