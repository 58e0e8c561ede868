package io.trunkline.media.bridge;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/** Counters of one {@link MediaStreamsBridge}, across all its calls. Read from any thread. */
public final class BridgeStats {
    final AtomicInteger openConnections = new AtomicInteger();
    final LongAdder connectsStarted = new LongAdder();
    final LongAdder streamsStarted = new LongAdder();
    final LongAdder disconnects = new LongAdder();
    final LongAdder framesSent = new LongAdder();
    final LongAdder framesDroppedNotWritable = new LongAdder();
    final LongAdder framesDroppedNotStreaming = new LongAdder();
    final LongAdder controlMessagesDropped = new LongAdder();
    final LongAdder mediaReceived = new LongAdder();
    final LongAdder mediaRejectedByPlayout = new LongAdder();
    final LongAdder marksReceived = new LongAdder();
    final LongAdder clearsReceived = new LongAdder();
    final LongAdder unknownEvents = new LongAdder();
    final LongAdder malformedMessages = new LongAdder();
    final LongAdder badPayloads = new LongAdder();

    /** TCP connections currently open (connecting ones excluded); 0 once every session is closed. */
    public int openConnections() { return openConnections.get(); }

    public long connectsStarted() { return connectsStarted.sum(); }

    /** Streams whose WebSocket upgrade completed and whose {@code start} was sent. */
    public long streamsStarted() { return streamsStarted.sum(); }

    /** {@code AssistantOutput.disconnected} reports: the assistant was unreachable or went away. */
    public long disconnects() { return disconnects.sum(); }

    public long framesSent() { return framesSent.sum(); }

    /** Callee frames dropped because the connection's send buffer was full (the assistant reads too slowly). */
    public long framesDroppedNotWritable() { return framesDroppedNotWritable.sum(); }

    /** Callee frames that arrived before the stream started (still connecting) or after it failed. */
    public long framesDroppedNotStreaming() { return framesDroppedNotStreaming.sum(); }

    /** dtmf and mark messages lost because the assistant had stopped reading. */
    public long controlMessagesDropped() { return controlMessagesDropped.sum(); }

    public long mediaReceived() { return mediaReceived.sum(); }

    /** Assistant media the playout queue refused (full). */
    public long mediaRejectedByPlayout() { return mediaRejectedByPlayout.sum(); }

    public long marksReceived() { return marksReceived.sum(); }

    public long clearsReceived() { return clearsReceived.sum(); }

    public long unknownEvents() { return unknownEvents.sum(); }

    /** Messages that were not JSON objects with an event, binary frames, media without payload, mark without name. */
    public long malformedMessages() { return malformedMessages.sum(); }

    /** Media whose payload was not valid base64. */
    public long badPayloads() { return badPayloads.sum(); }

    void count(InboundMessageReader.Outcome outcome) {
        switch (outcome) {
            case MEDIA -> mediaReceived.increment();
            case MEDIA_REJECTED -> {
                mediaReceived.increment();
                mediaRejectedByPlayout.increment();
            }
            case MARK -> marksReceived.increment();
            case CLEAR -> clearsReceived.increment();
            case UNKNOWN_EVENT -> unknownEvents.increment();
            case MALFORMED -> malformedMessages.increment();
            case BAD_PAYLOAD -> badPayloads.increment();
        }
    }

    @Override
    public String toString() {
        return "BridgeStats[open=" + openConnections() + ", started=" + streamsStarted() + ", disconnects=" + disconnects()
                + ", sent=" + framesSent() + ", droppedNotWritable=" + framesDroppedNotWritable()
                + ", droppedNotStreaming=" + framesDroppedNotStreaming() + ", controlDropped=" + controlMessagesDropped()
                + ", mediaReceived=" + mediaReceived()
                + ", marks=" + marksReceived() + ", clears=" + clearsReceived() + ", unknown=" + unknownEvents()
                + ", malformed=" + malformedMessages() + ", badPayloads=" + badPayloads() + "]";
    }
}
