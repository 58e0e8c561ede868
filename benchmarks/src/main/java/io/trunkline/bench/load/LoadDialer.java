package io.trunkline.bench.load;

/**
 * How the load harness places one call: straight on the SIP user agent (the bare stack, the baseline) or through
 * the {@code Engine} with its queue and limits. Both report through the same observer, so one run can compare them.
 */
public interface LoadDialer extends AutoCloseable {

    /** What the harness learns about each call. Called from I/O or event threads: must be cheap. */
    interface Observer {
        /** dial() to INVITE on the wire, µs (the engine path only). */
        void invited(long dialToInviteMicros);

        /** INVITE to 200, µs. */
        void answered(long setupMicros);

        /** The call ended; {@code failure} is null for a completed call, else "reason code". */
        void ended(String failure);
    }

    String path();

    /** Places call {@code index} to {@code callee}; hangs up {@code holdMs} after answer. Must not block. */
    void dial(int index, String from, String callee, long holdMs, Observer observer);

    long retransmissions();

    /** Calls, dialogs, transactions and queued calls still live: all 0 after a clean run. */
    int[] leftovers();

    @Override
    default void close() {}
}
