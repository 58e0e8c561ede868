package io.trunkline.media.bridge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufInputStream;
import io.trunkline.media.assistant.AssistantOutput;
import io.trunkline.audio.G711;
import java.io.IOException;
import java.util.Base64;

/**
 * Reads one assistant-to-engine Media Streams message and applies it to the call's {@link AssistantOutput}:
 * {@code media} (base64 μ-law of any length, decoded to PCM), {@code mark} and {@code clear}. Nothing an assistant
 * sends can throw out of here: bad input comes back as an {@link Outcome} for the caller to count.
 *
 * <p>Not thread-safe: one per connection, used on its event loop.
 */
final class InboundMessageReader {
    private static final ObjectMapper JSON = new ObjectMapper();

    enum Outcome { MEDIA, MEDIA_REJECTED, MARK, CLEAR, UNKNOWN_EVENT, MALFORMED, BAD_PAYLOAD }

    private final AssistantOutput output;
    /** Grows to the largest chunk seen (bounded by the frame aggregator's limit) and is reused. */
    private short[] pcm = new short[1024];

    InboundMessageReader(AssistantOutput output) {
        this.output = output;
    }

    Outcome read(ByteBuf text) {
        JsonNode msg;
        try {
            msg = JSON.readTree((java.io.InputStream) new ByteBufInputStream(text.duplicate()));
        } catch (IOException e) { // JacksonException included: not JSON, or truncated
            return Outcome.MALFORMED;
        }
        if (msg == null || !msg.isObject() || !msg.path("event").isTextual()) return Outcome.MALFORMED;
        return switch (msg.get("event").asText()) {
            case "media" -> media(msg.path("media").path("payload"));
            case "mark" -> mark(msg.path("mark").path("name"));
            case "clear" -> {
                output.clear();
                yield Outcome.CLEAR;
            }
            default -> Outcome.UNKNOWN_EVENT;
        };
    }

    private Outcome media(JsonNode payload) {
        if (!payload.isTextual()) return Outcome.MALFORMED;
        byte[] ulaw;
        try {
            ulaw = Base64.getDecoder().decode(payload.asText());
        } catch (IllegalArgumentException e) {
            return Outcome.BAD_PAYLOAD;
        }
        if (ulaw.length == 0) return Outcome.MEDIA;
        if (pcm.length < ulaw.length) pcm = new short[Math.max(ulaw.length, pcm.length * 2)];
        for (int i = 0; i < ulaw.length; i++) pcm[i] = G711.ulawToLinear(ulaw[i]);
        return output.write(pcm, 0, ulaw.length) ? Outcome.MEDIA : Outcome.MEDIA_REJECTED;
    }

    private Outcome mark(JsonNode name) {
        if (!name.isTextual()) return Outcome.MALFORMED;
        output.mark(name.asText());
        return Outcome.MARK;
    }
}
