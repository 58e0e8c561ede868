package io.trunkline.engine;

/** Call events, in order per call, on the engine's event threads (never on a SIP I/O thread). */
public interface CallListener {
    default void onStateChanged(Call call, CallState state) {}

    default void onEnded(Call call, CallRecord record) {}

    /** The machine_detection event: the AMD verdict with its cause, decision time and speech statistics. */
    default void onMachineDetection(Call call, io.trunkline.amd.AmdResult result) {}

    /** The callee pressed a key (RFC 4733), reported once per digit when its tone ends. */
    default void onDtmf(Call call, char digit, int durationMs) {}
}
