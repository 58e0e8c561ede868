package io.trunkline.service.dial;

import io.trunkline.engine.CallRequest;
import io.trunkline.engine.media.AmdRequest;
import io.trunkline.engine.media.MediaRequest;
import io.trunkline.media.bridge.MediaStreamsBridge;
import io.trunkline.media.bridge.MediaStreamsConfig;
import io.trunkline.media.record.CallRecorder;
import io.trunkline.service.api.CallSpec;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Turns a stored call's media options (assistant, AMD, voicemail, digits, recording) into the engine's
 * {@link MediaRequest}. One Media Streams bridge serves every call to the same assistant URL; their number is bounded.
 */
final class MediaRequests implements AutoCloseable {
    static final int MAX_ASSISTANT_URLS = 64;

    private final Path prompts;
    private final Path recordings;
    private final boolean engineHasMedia;
    private final Map<String, MediaStreamsBridge> bridges = new LinkedHashMap<>();

    MediaRequests(Path prompts, Path recordings, boolean engineHasMedia) {
        this.prompts = prompts;
        this.recordings = recordings;
        this.engineHasMedia = engineHasMedia;
    }

    /** The engine request for this call, with its media; throws IllegalArgumentException naming the field. */
    CallRequest request(CallSpec spec, String callId) {
        CallRequest r = spec.request();
        boolean wantsMedia = spec.amdMode() != null || spec.text("send_digits") != null || spec.text("record") != null
                || spec.normalized().has("assistant");
        if (!wantsMedia) return r;
        if (!engineHasMedia) throw new IllegalArgumentException("this engine carries no audio (no media section), so it cannot run AMD, digits, recording or an assistant");
        MediaRequest m = MediaRequest.none();
        if (spec.text("send_digits") != null) m = m.withSendDigits(spec.text("send_digits"), false);
        if (spec.text("record") != null) {
            m = m.withRecord(recordings.resolve(callId + ".wav"), "mono".equals(spec.text("record")) ? CallRecorder.Layout.MONO : CallRecorder.Layout.STEREO);
        }
        if (spec.amdMode() != null) {
            String action = spec.text("voicemail_action");
            String message = spec.text("voicemail_message");
            m = m.withAmd(new AmdRequest(spec.amdParameters(), spec.amdMode(), action == null ? null : AmdRequest.action(action),
                    message == null ? null : prompts.resolve(message)));
        }
        var assistant = spec.normalized().get("assistant");
        if (assistant != null) {
            Map<String, String> params = new LinkedHashMap<>();
            params.put("call_id", callId);
            params.put("from", r.from());
            params.put("to", r.to());
            assistant.path("parameters").fields().forEachRemaining(e -> params.put(e.getKey(), e.getValue().asText()));
            m = m.withAssistant(bridge(assistant.path("url").asText()), params, null);
        }
        return r.withMedia(m);
    }

    synchronized boolean canStreamTo(String url) {
        return bridges.containsKey(url) || bridges.size() < MAX_ASSISTANT_URLS;
    }

    Path recordingPath(String callId) { return recordings.resolve(callId + ".wav"); }

    private synchronized MediaStreamsBridge bridge(String url) {
        MediaStreamsBridge b = bridges.get(url);
        if (b != null) return b;
        if (bridges.size() >= MAX_ASSISTANT_URLS) {
            throw new IllegalArgumentException("assistant: this service already streams to " + MAX_ASSISTANT_URLS + " assistant URLs");
        }
        b = new MediaStreamsBridge(MediaStreamsConfig.builder(url).build());
        bridges.put(url, b);
        return b;
    }

    @Override
    public synchronized void close() {
        bridges.values().forEach(MediaStreamsBridge::close);
        bridges.clear();
    }
}
