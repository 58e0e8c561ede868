package io.trunkline.media.bridge;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufOutputStream;
import io.trunkline.media.assistant.AssistantCall;
import io.trunkline.media.assistant.AssistantSession;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * The engine-to-assistant Media Streams messages other than {@code media}: a few per call, so they go through
 * Jackson's generator, which escapes whatever the dialer put into custom parameters and mark names.
 * Field names and value types (numbers as strings) follow Twilio's messages, which voice-AI frameworks parse.
 */
final class ControlMessages {
    static final String PROTOCOL = "Call";
    static final String VERSION = "1.0.0";
    private static final JsonFactory JSON = new JsonFactory();

    private ControlMessages() {}

    static ByteBuf connected(ByteBufAllocator alloc) {
        return write(alloc, g -> {
            g.writeStringField("event", "connected");
            g.writeStringField("protocol", PROTOCOL);
            g.writeStringField("version", VERSION);
        });
    }

    static ByteBuf start(ByteBufAllocator alloc, long sequenceNumber, String streamSid, String accountSid, AssistantCall call) {
        return write(alloc, g -> {
            head(g, "start", sequenceNumber, streamSid);
            g.writeObjectFieldStart("start");
            g.writeStringField("streamSid", streamSid);
            g.writeStringField("accountSid", accountSid);
            g.writeStringField("callSid", call.callId());
            g.writeArrayFieldStart("tracks");
            g.writeString("inbound");
            g.writeEndArray();
            g.writeObjectFieldStart("customParameters");
            for (Map.Entry<String, String> p : call.parameters().entrySet()) g.writeStringField(p.getKey(), p.getValue());
            g.writeEndObject();
            g.writeObjectFieldStart("mediaFormat");
            g.writeStringField("encoding", "audio/x-mulaw");
            g.writeNumberField("sampleRate", AssistantSession.SAMPLE_RATE);
            g.writeNumberField("channels", 1);
            g.writeEndObject();
            g.writeEndObject();
        });
    }

    static ByteBuf dtmf(ByteBufAllocator alloc, long sequenceNumber, String streamSid, char digit) {
        return write(alloc, g -> {
            head(g, "dtmf", sequenceNumber, streamSid);
            g.writeObjectFieldStart("dtmf");
            g.writeStringField("track", "inbound_track");
            g.writeStringField("digit", String.valueOf(digit));
            g.writeEndObject();
        });
    }

    static ByteBuf mark(ByteBufAllocator alloc, long sequenceNumber, String streamSid, String name) {
        return write(alloc, g -> {
            head(g, "mark", sequenceNumber, streamSid);
            g.writeObjectFieldStart("mark");
            g.writeStringField("name", name);
            g.writeEndObject();
        });
    }

    static ByteBuf stop(ByteBufAllocator alloc, long sequenceNumber, String streamSid, String accountSid, String callSid) {
        return write(alloc, g -> {
            head(g, "stop", sequenceNumber, streamSid);
            g.writeObjectFieldStart("stop");
            g.writeStringField("accountSid", accountSid);
            g.writeStringField("callSid", callSid);
            g.writeEndObject();
        });
    }

    private static void head(JsonGenerator g, String event, long sequenceNumber, String streamSid) throws IOException {
        g.writeStringField("event", event);
        g.writeStringField("sequenceNumber", Long.toString(sequenceNumber));
        g.writeStringField("streamSid", streamSid);
    }

    private interface Body {
        void write(JsonGenerator g) throws IOException;
    }

    private static ByteBuf write(ByteBufAllocator alloc, Body body) {
        ByteBuf buf = alloc.buffer(256);
        try (JsonGenerator g = JSON.createGenerator((java.io.OutputStream) new ByteBufOutputStream(buf))) {
            g.writeStartObject();
            body.write(g);
            g.writeEndObject();
        } catch (IOException e) {
            buf.release();
            throw new UncheckedIOException(e);
        }
        return buf;
    }
}
