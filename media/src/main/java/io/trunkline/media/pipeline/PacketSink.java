package io.trunkline.media.pipeline;

/** Where the ring's handler delivers a packet: the session that received it. Runs on the ring's handler thread. */
public interface PacketSink {
    void onRingPacket(PacketEvent event);
}
