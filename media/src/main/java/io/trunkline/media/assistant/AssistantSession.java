package io.trunkline.media.assistant;

/**
 * The engine-to-assistant half of one call. Every method is called on a media thread in call order and must return
 * quickly: a session that needs to do slow work hands it off. Frames are 20 ms of 16-bit PCM at 8 kHz
 * ({@link #FRAME_SAMPLES} samples); the array is reused by the caller after the method returns.
 */
public interface AssistantSession extends AutoCloseable {
    int SAMPLE_RATE = 8000;
    int FRAME_SAMPLES = 160;

    /** 20 ms of the callee's audio. {@code frameIndex} counts frames since media started (gaps were concealed). */
    void onAudio(short[] pcm, int samples, long frameIndex);

    /** A DTMF digit the callee pressed (RFC 4733), reported once when it ends. */
    void onDtmf(char digit, int durationMs);

    /** All audio written before {@link AssistantOutput#mark(String)} with this name has been played out. */
    void onMarkPlayed(String name);

    /** The call ended; no more callbacks follow. */
    void onEnd(String reason);

    /** Releases the session's resources; called once after {@link #onEnd}. */
    @Override
    void close();
}
