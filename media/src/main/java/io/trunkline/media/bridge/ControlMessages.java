package io.trunkline.media.bridge;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.trunkline.media.assistant.AssistantCall;
import io.trunkline.media.assistant.AssistantSession;
import java.io.ByteArrayOutputStream;
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

    static byte[] connected() {
        return write(g -> {
            g.writeStringField("event", "connected");
            g.writeStringField("protocol", PROTOCOL);
            g.writeStringField("version", VERSION);
        });
    }

    static byte[] start(long sequenceNumber, String streamSid, String accountSid, AssistantCall call) {
        return write(g -> {
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

    static byte[] dtmf(long sequenceNumber, String streamSid, char digit) {
        return write(g -> {
            head(g, "dtmf", sequenceNumber, streamSid);
            g.writeObjectFieldStart("dtmf");
            g.writeStringField("track", "inbound_track");
            g.writeStringField("digit", String.valueOf(digit));
            g.writeEndObject();
        });
    }

    static byte[] mark(long sequenceNumber, String streamSid, String name) {
        return write(g -> {
            head(g, "mark", sequenceNumber, streamSid);
            g.writeObjectFieldStart("mark");
            g.writeStringField("name", name);
            g.writeEndObject();
        });
    }

    static byte[] stop(long sequenceNumber, String streamSid, String accountSid, String callSid) {
        return write(g -> {
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

    private static byte[] write(Body body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            body.write(g);
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // an in-memory stream does not fail
        }
        return out.toByteArray();
    }
}
