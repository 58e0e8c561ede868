package io.trunkline.media.assistant;

/**
 * The assistant-to-engine half of one call: the playout queue the assistant speaks into. Thread-safe; may be called
 * from any thread (a WebSocket event loop, an embedder's worker).
 */
public interface AssistantOutput {

    /**
     * Queues 16-bit PCM at 8 kHz for playout on the call's 20 ms clock. Returns false and drops the audio when the
     * bounded queue is full (the drop is counted), so a runaway assistant cannot grow memory without bound.
     */
    boolean write(short[] pcm, int offset, int samples);

    /** Queues a named mark; {@link AssistantSession#onMarkPlayed} fires when the audio queued before it has played. */
    void mark(String name);

    /** Barge-in: drops all queued audio at once. Marks queued behind the dropped audio fire immediately. */
    void clear();

    /** Asks the engine to end the call. */
    void hangup(String reason);

    /**
     * The assistant is gone (a bridge lost or never made its connection). The engine applies the call's configured
     * fallback (hang up, or play a message and hang up) so the callee never sits in dead air.
     */
    void disconnected(String reason);
}
