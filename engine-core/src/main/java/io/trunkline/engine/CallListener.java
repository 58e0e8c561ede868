package io.trunkline.engine;

/** Call events, in order per call, on the engine's event threads (never on a SIP I/O thread). */
public interface CallListener {
    /**
     * Called on the dial edge's own thread at the moment it has chosen to start the call, just before the first
     * INVITE is built and sent, and never again for this call (not for retries or failover). It holds up the dial
     * edge while it runs, so it must be quick: it is there for a service that must journal durably that the call
     * is being dialled, so that a crash can never make it dial the call twice. If it throws, the call is not sent
     * and ends as failed.
     */
    default void beforeFirstInvite(Call call) {}

    default void onStateChanged(Call call, CallState state) {}

    default void onEnded(Call call, CallRecord record) {}

    /** The machine_detection event: the AMD verdict with its cause, decision time and speech statistics. */
    default void onMachineDetection(Call call, io.trunkline.amd.AmdResult result) {}

    /** The callee pressed a key (RFC 4733), reported once per digit when its tone ends. */
    default void onDtmf(Call call, char digit, int durationMs) {}
}
