package io.trunkline.media.assistant;

/**
 * The assistant pipeline's entry point, one per engine: the voice-AI agent that talks to the callee. The engine
 * calls {@link #open} when a call is answered; the returned session receives the callee's audio and events, and the
 * assistant speaks by writing into the {@link AssistantOutput} it was given.
 *
 * <p>Embedders implement this directly in Java; assistants running as separate services are reached through a
 * bridge (the Twilio Media Streams WebSocket bridge) that implements it.
 */
public interface Assistant {

    /**
     * Starts the assistant for one answered call. Must not block for long: a bridge connects asynchronously and
     * reports failure through {@link AssistantOutput#disconnected}.
     */
    AssistantSession open(AssistantCall call, AssistantOutput output);
}
