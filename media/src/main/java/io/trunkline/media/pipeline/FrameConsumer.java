package io.trunkline.media.pipeline;

/**
 * Receives a call's decoded inbound audio: 20 ms of 16-bit PCM at 8 kHz per frame, on a consumer-pool thread, one
 * frame at a time and in order. The array is reused after the call returns.
 */
@FunctionalInterface
public interface FrameConsumer {
    void onFrame(short[] pcm, int samples, long frameIndex);
}
