package io.trunkline.media.assistant;

/**
 * The demo's built-in assistant: greets the callee with a prompt, then echoes what the callee says back to them
 * (about a jitter buffer's delay later), which is enough to hear that audio flows both ways in real time.
 */
public final class DemoAssistant implements Assistant {
    private final short[] prompt;

    /** @param prompt 8 kHz PCM played when the call starts */
    public DemoAssistant(short[] prompt) {
        this.prompt = prompt.clone();
    }

    @Override
    public AssistantSession open(AssistantCall call, AssistantOutput output) {
        output.write(prompt, 0, prompt.length);
        output.mark("prompt");
        return new AssistantSession() {
            private volatile boolean echoing;

            @Override
            public void onAudio(short[] pcm, int samples, long frameIndex) {
                if (echoing) output.write(pcm, 0, samples);
            }

            @Override
            public void onDtmf(char digit, int durationMs) {}

            @Override
            public void onMarkPlayed(String name) {
                if (name.equals("prompt")) echoing = true;
            }

            @Override
            public void onEnd(String reason) {}

            @Override
            public void close() {}
        };
    }
}
