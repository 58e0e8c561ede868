package io.trunkline.media.bridge;

import com.fasterxml.jackson.databind.DeserializationFeature;
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
    // trailing bytes after the object mean a broken sender: reject rather than act on half of what it meant
    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    enum Outcome { MEDIA, MEDIA_REJECTED, MARK, CLEAR, UNKNOWN_EVENT, MALFORMED, BAD_PAYLOAD }

    private final AssistantOutput output;
    /** 200 ms: a larger chunk is played in pieces, so one huge message cannot pin a huge array to the session. */
    private final short[] pcm = new short[1600];

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
        for (int from = 0; from < ulaw.length; from += pcm.length) {
            int n = Math.min(pcm.length, ulaw.length - from);
            for (int i = 0; i < n; i++) pcm[i] = G711.ulawToLinear(ulaw[from + i]);
            if (!output.write(pcm, 0, n)) return Outcome.MEDIA_REJECTED; // the queue is full: the rest would be too
        }
        return Outcome.MEDIA;
    }

    private Outcome mark(JsonNode name) {
        if (!name.isTextual()) return Outcome.MALFORMED;
        output.mark(name.asText());
        return Outcome.MARK;
    }
}
