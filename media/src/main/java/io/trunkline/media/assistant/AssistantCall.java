package io.trunkline.media.assistant;

import java.util.Map;

/**
 * What an assistant learns about the call it serves. {@code parameters} are the custom parameters the dialer passed
 * with the call (Twilio's {@code customParameters}).
 */
public record AssistantCall(String callId, String from, String to, Map<String, String> parameters) {
    public AssistantCall {
        parameters = Map.copyOf(parameters);
    }
}
