package io.trunkline.sip.transport;

/** Receives every message that parsed; called on a Netty I/O thread, so it must not block. */
@FunctionalInterface
public interface InboundListener {
    void onMessage(InboundMessage message);
}
