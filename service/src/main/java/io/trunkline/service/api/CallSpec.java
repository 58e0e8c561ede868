package io.trunkline.service.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.trunkline.amd.AmdParameter;
import io.trunkline.amd.AmdParameters;
import io.trunkline.engine.CallRequest;
import io.trunkline.engine.media.AmdRequest;
import io.trunkline.media.dtmf.SendDigits;
import io.trunkline.sip.stir.Attestation;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * One call as the API accepts it ({@code POST /v1/calls}, or one recipient of a batch): parsed, validated field by
 * field, and kept as a normalised JSON object that the store holds and the dispatcher reads back. Unknown fields are
 * refused, never ignored. The engine's own checks (E.164, header injection, ranges) run here too, by building the
 * {@link CallRequest} once, so a call the API accepts is one the engine will take.
 */
public final class CallSpec {
    public static final Set<String> EVENTS = Set.of("ringing", "answered", "machine_detection", "dtmf", "completed");
    static final Set<String> MACHINE_DETECTION = Set.of("enable", "true", "false", "sync", "async", "hangup");
    static final Set<String> VOICEMAIL_ACTIONS = Set.of("hang_up", "leave_message", "retry_later", "continue");
    static final Set<String> RECORD = Set.of("mono", "dual", "true", "false");

    /** The Vobiz/Plivo (and Twilio-style) AMD field names and the detector parameter each one sets. */
    static final Map<String, AmdParameter> AMD_FIELDS = amdFields();

    static final Set<String> FIELDS = fields();

    private final ObjectNode normalized;
    private final CallRequest request;
    private final Instant notBefore;
    private final Instant notAfter;
    private final AmdParameters amdParameters;

    private CallSpec(ObjectNode normalized, CallRequest request, Instant notBefore, Instant notAfter, AmdParameters amd) {
        this.normalized = normalized;
        this.request = request;
        this.notBefore = notBefore;
        this.notAfter = notAfter;
        this.amdParameters = amd;
    }

    /**
     * Parses one call.
     *
     * @param path   the field prefix for error messages ("" for one call, "recipients[3]." in a batch)
     * @param now    the acceptance time, against which the schedule is checked
     */
    public static CallSpec parse(JsonNode body, String path, Instant now) {
        if (body == null || !body.isObject()) throw ApiException.validation(path.isEmpty() ? null : path.substring(0, path.length() - 1), "must be a JSON object");
        JsonFields.refuseUnknown(body, path, FIELDS);
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        String from = JsonFields.requiredString(body, "from", path + "from", 64);
        String to = JsonFields.requiredString(body, "to", path + "to", 256);
        String callerName = JsonFields.string(body, "caller_name", path + "caller_name", 64);
        String trunk = JsonFields.string(body, "trunk", path + "trunk", 64);
        int ringTimeout = JsonFields.integer(body, "ring_timeout", path + "ring_timeout", 1, 600, "s", CallRequest.DEFAULT_RING_TIMEOUT);
        int hangupOnRing = JsonFields.integer(body, "hangup_on_ring", path + "hangup_on_ring", 0, 600, "s", 0);
        int timeLimit = JsonFields.integer(body, "time_limit", path + "time_limit", 1, 86_400, "s", CallRequest.DEFAULT_TIME_LIMIT);
        int maxHold = JsonFields.integer(body, "max_hold_seconds", path + "max_hold_seconds", 1, 86_400, "s", 0);
        int priority = JsonFields.integer(body, "priority", path + "priority", 0, 9, "", 5);
        String attestation = JsonFields.oneOf(body, "attestation", path + "attestation", Set.of("a", "b", "c"));

        JsonNode metadata = body.get("metadata");
        if (metadata != null && !metadata.isNull()) {
            if (!metadata.isObject()) throw ApiException.validation(path + "metadata", "must be a JSON object");
            if (metadata.toString().length() > 8192) throw ApiException.validation(path + "metadata", "must be at most 8192 bytes of JSON");
        }

        String statusCallback = JsonFields.url(body, "status_callback", path + "status_callback", Set.of("http", "https"));
        String answerUrl = JsonFields.url(body, "answer_url", path + "answer_url", Set.of("http", "https"));
        Set<String> events = events(body.get("status_callback_events"), path + "status_callback_events");

        String amdMode = JsonFields.oneOf(body, "machine_detection", path + "machine_detection", MACHINE_DETECTION);
        if ("false".equals(amdMode)) amdMode = null;
        AmdParameters amd = AmdParameters.defaults();
        ObjectNode amdOut = JsonNodeFactory.instance.objectNode();
        for (Map.Entry<String, AmdParameter> f : AMD_FIELDS.entrySet()) {
            if (!body.has(f.getKey()) || body.get(f.getKey()).isNull()) continue;
            AmdParameter p = f.getValue();
            int v = JsonFields.integer(body, f.getKey(), path + f.getKey(), p.min(), p.max(), p.unit(), p.defaultValue());
            if (amdMode == null) throw ApiException.validation(path + f.getKey(), "needs machine_detection");
            try {
                amd = amd.with(p, v);
            } catch (IllegalArgumentException e) {
                throw ApiException.validation(path + f.getKey(), e.getMessage());
            }
            amdOut.put(p.key(), v);
        }
        String voicemailAction = JsonFields.oneOf(body, "voicemail_action", path + "voicemail_action", VOICEMAIL_ACTIONS);
        String voicemailMessage = JsonFields.string(body, "voicemail_message", path + "voicemail_message", 255);
        if ((voicemailAction != null || voicemailMessage != null) && amdMode == null) {
            throw ApiException.validation(path + (voicemailAction != null ? "voicemail_action" : "voicemail_message"), "needs machine_detection");
        }
        if ("leave_message".equals(voicemailAction) && voicemailMessage == null) {
            throw ApiException.validation(path + "voicemail_message", "is required with voicemail_action leave_message");
        }
        if (voicemailMessage != null && !voicemailMessage.matches("[A-Za-z0-9_.-]{1,128}\\.wav") || voicemailMessage != null && voicemailMessage.startsWith(".")) {
            throw ApiException.validation(path + "voicemail_message", "must be the file name of a WAV in the server's prompts folder, like goodbye.wav");
        }
        if ("hangup".equals(amdMode) && voicemailAction != null && !"hang_up".equals(voicemailAction)) {
            throw ApiException.validation(path + "voicemail_action", "must be hang_up (or absent) with machine_detection hangup");
        }

        String digits = JsonFields.string(body, "send_digits", path + "send_digits", 128);
        if (digits != null) {
            try {
                SendDigits.parse(digits);
            } catch (IllegalArgumentException e) {
                throw ApiException.validation(path + "send_digits", stripField(e.getMessage(), "send_digits"));
            }
        }
        String record = JsonFields.oneOf(body, "record", path + "record", RECORD);
        if ("true".equals(record)) record = "dual";
        if ("false".equals(record)) record = null;

        String assistantUrl = null;
        ObjectNode assistantParams = null;
        JsonNode assistant = body.get("assistant");
        if (assistant != null && !assistant.isNull()) {
            if (assistant.isTextual()) {
                assistantUrl = JsonFields.url(body, "assistant", path + "assistant", Set.of("ws", "wss"));
            } else if (assistant.isObject()) {
                JsonFields.refuseUnknown(assistant, path + "assistant.", Set.of("url", "parameters"));
                assistantUrl = JsonFields.url(assistant, "url", path + "assistant.url", Set.of("ws", "wss"));
                if (assistantUrl == null) throw ApiException.validation(path + "assistant.url", "is required");
                JsonNode params = assistant.get("parameters");
                if (params != null && !params.isNull()) {
                    if (!params.isObject()) throw ApiException.validation(path + "assistant.parameters", "must be an object of strings");
                    assistantParams = JsonNodeFactory.instance.objectNode();
                    ObjectNode into = assistantParams;
                    params.fields().forEachRemaining(e -> putParameter(into, e.getKey(), e.getValue(), path));
                }
            } else {
                throw ApiException.validation(path + "assistant", "must be a ws:// or wss:// URL, or {\"url\":..., \"parameters\":{...}}");
            }
        }

        Instant earliest = null, latest = null;
        JsonNode schedule = body.get("schedule");
        if (schedule != null && !schedule.isNull()) {
            if (!schedule.isObject()) throw ApiException.validation(path + "schedule", "must be an object with earliest_at and/or latest_at");
            JsonFields.refuseUnknown(schedule, path + "schedule.", Set.of("earliest_at", "latest_at"));
            earliest = JsonFields.instant(schedule, "earliest_at", path + "schedule.earliest_at");
            latest = JsonFields.instant(schedule, "latest_at", path + "schedule.latest_at");
            if (latest != null && !latest.isAfter(now)) throw ApiException.validation(path + "schedule.latest_at", "must be in the future, got " + latest);
            if (earliest != null && latest != null && !latest.isAfter(earliest)) {
                throw ApiException.validation(path + "schedule.latest_at", "must be after schedule.earliest_at");
            }
        }
        if (maxHold > 0) {
            Instant holdLimit = (earliest != null && earliest.isAfter(now) ? earliest : now).plusSeconds(maxHold);
            if (latest == null || holdLimit.isBefore(latest)) latest = holdLimit;
        }

        // the engine's own validation: numbers to E.164, header injection, ranges
        CallRequest request;
        try {
            request = new CallRequest(from, to, callerName, trunk, ringTimeout, hangupOnRing, timeLimit, priority, Map.of(),
                    attestation == null ? null : Attestation.valueOf(attestation.toUpperCase(java.util.Locale.ROOT)), null);
        } catch (IllegalArgumentException e) {
            String field = fieldOf(e.getMessage());
            throw ApiException.validation(path + field, stripField(e.getMessage(), field));
        }

        out.put("from", request.from());
        out.put("to", request.to());
        if (callerName != null) out.put("caller_name", callerName);
        if (trunk != null) out.put("trunk", trunk);
        out.put("ring_timeout", ringTimeout);
        out.put("hangup_on_ring", hangupOnRing);
        out.put("time_limit", timeLimit);
        out.put("priority", priority);
        if (attestation != null) out.put("attestation", attestation.toUpperCase(java.util.Locale.ROOT));
        if (metadata != null && !metadata.isNull()) out.set("metadata", metadata);
        if (statusCallback != null) out.put("status_callback", statusCallback);
        if (answerUrl != null) out.put("answer_url", answerUrl);
        if (events != null) {
            var arr = out.putArray("status_callback_events");
            events.forEach(arr::add);
        }
        if (amdMode != null) {
            out.put("machine_detection", "true".equals(amdMode) ? "enable" : amdMode);
            if (!amdOut.isEmpty()) out.set("machine_detection_parameters", amdOut);
            if (voicemailAction != null) out.put("voicemail_action", voicemailAction);
            if (voicemailMessage != null) out.put("voicemail_message", voicemailMessage);
        }
        if (digits != null) out.put("send_digits", digits);
        if (record != null) out.put("record", record);
        if (assistantUrl != null) {
            ObjectNode a = out.putObject("assistant");
            a.put("url", assistantUrl);
            if (assistantParams != null) a.set("parameters", assistantParams);
        }
        if (earliest != null || latest != null) {
            ObjectNode s = out.putObject("schedule");
            if (earliest != null) s.put("earliest_at", earliest.toString());
            if (latest != null) s.put("latest_at", latest.toString());
        }
        return new CallSpec(out, request, earliest, latest, amd);
    }

    /** An assistant parameter (Media Streams custom parameter): a string, or a number or boolean taken as one. */
    private static void putParameter(ObjectNode params, String key, JsonNode value, String path) {
        if (!value.isTextual() && !value.isNumber() && !value.isBoolean()) {
            throw ApiException.validation(path + "assistant.parameters." + key, "must be a string");
        }
        params.put(key, value.asText());
    }

    /**
     * This call for another recipient of the same campaign: the settings validated once, with another caller ID,
     * number, metadata, assistant parameters and latest start. Parsing every campaign call in full cost as much as
     * the store's work for it; this gives the same normalised call as {@code parse} of the merged JSON (a test
     * compares the two), checking again only what changes: the numbers (E.164, header injection) and the metadata's
     * size. Null when the settings hold a schedule of their own or a hold limit, which the full parse must apply.
     *
     * @param variables the recipient's variables (metadata.variables and assistant parameters), or null
     */
    CallSpec forRecipient(String from, String to, ObjectNode metadata, ObjectNode variables, Instant latest, Instant now, String path) {
        if (normalized.has("schedule") || notBefore != null) return null;
        CallRequest r;
        try {
            r = new CallRequest(from, to, request.callerName(), request.trunk(), request.ringTimeoutSeconds(), request.hangupOnRingSeconds(),
                    request.timeLimitSeconds(), request.priority(), Map.of(), request.attestation(), null);
        } catch (IllegalArgumentException e) {
            String field = fieldOf(e.getMessage());
            throw ApiException.validation(path + field, stripField(e.getMessage(), field));
        }
        if (!latest.isAfter(now)) throw ApiException.validation(path + "schedule.latest_at", "must be in the future, got " + latest);
        ObjectNode out = normalized.deepCopy();
        out.put("from", r.from());
        out.put("to", r.to());
        ObjectNode meta = out.get("metadata") instanceof ObjectNode m ? m : out.putObject("metadata");
        meta.setAll(metadata);
        if (variables != null) {
            meta.set("variables", variables);
            if (out.get("assistant") instanceof ObjectNode a) {
                ObjectNode params = a.get("parameters") instanceof ObjectNode p ? p : a.putObject("parameters");
                variables.fields().forEachRemaining(e -> putParameter(params, e.getKey(), e.getValue(), path));
            }
        }
        if (meta.toString().length() > 8192) throw ApiException.validation(path + "metadata", "must be at most 8192 bytes of JSON");
        out.putObject("schedule").put("latest_at", latest.toString());
        return new CallSpec(out, r, null, latest, amdParameters);
    }

    /**
     * Reads back a normalised call the store kept. Its own output always parses: AMD parameters are folded back
     * in from {@code machine_detection_parameters}, and the schedule is no longer checked against the clock.
     */
    public static CallSpec stored(JsonNode normalized) {
        ObjectNode body = normalized.deepCopy();
        JsonNode amd = body.remove("machine_detection_parameters");
        AmdParameters params = AmdParameters.defaults();
        if (amd != null) {
            var it = amd.fields();
            while (it.hasNext()) {
                var e = it.next();
                params = params.with(AmdParameter.byKey(e.getKey()), e.getValue().asLong());
            }
        }
        JsonNode schedule = body.remove("schedule");
        CallSpec spec = parse(body, "", Instant.EPOCH);
        Instant earliest = schedule == null || !schedule.has("earliest_at") ? null : Instant.parse(schedule.get("earliest_at").asText());
        Instant latest = schedule == null || !schedule.has("latest_at") ? null : Instant.parse(schedule.get("latest_at").asText());
        ObjectNode out = spec.normalized;
        if (amd != null) out.set("machine_detection_parameters", amd);
        if (schedule != null) out.set("schedule", schedule);
        return new CallSpec(out, spec.request, earliest, latest, params);
    }

    /** The normalised request, as stored. */
    public ObjectNode normalized() { return normalized; }

    /** The engine request without media (numbers, timers, trunk, attestation). */
    public CallRequest request() { return request; }

    public Instant notBefore() { return notBefore; }

    public Instant notAfter() { return notAfter; }

    public String text(String field) {
        JsonNode v = normalized.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    public JsonNode metadata() { return normalized.path("metadata"); }

    /** The AMD parameters this call asked for, over the defaults. */
    public AmdParameters amdParameters() { return amdParameters; }

    public AmdRequest.Mode amdMode() {
        String m = text("machine_detection");
        if (m == null) return null;
        return switch (m) {
            case "async" -> AmdRequest.Mode.ASYNC;
            case "hangup" -> AmdRequest.Mode.HANGUP;
            default -> AmdRequest.Mode.SYNC; // enable, sync: the assistant waits for the verdict
        };
    }

    /** Where this event type goes: the answer_url takes the answered event, status_callback the ones it asked for. */
    public String webhookFor(String event) {
        if ("answered".equals(event) && text("answer_url") != null) return text("answer_url");
        String url = text("status_callback");
        if (url == null) return null;
        JsonNode wanted = normalized.get("status_callback_events");
        if (wanted == null) return url;
        for (JsonNode w : wanted) if (w.asText().equals(event)) return url;
        return null;
    }

    private static Set<String> events(JsonNode v, String path) {
        if (v == null || v.isNull()) return null;
        if (!v.isArray()) throw ApiException.validation(path, "must be an array of " + String.join(", ", new java.util.TreeSet<>(EVENTS)));
        Set<String> out = new LinkedHashSet<>();
        for (JsonNode e : v) {
            if (!e.isTextual() || !EVENTS.contains(e.textValue())) {
                throw ApiException.validation(path, "must hold only " + String.join(", ", new java.util.TreeSet<>(EVENTS))
                        + (e.isTextual() ? ", got '" + io.trunkline.sip.message.HeaderSafety.printable(e.textValue()) + "'" : ""));
            }
            out.add(e.textValue());
        }
        return out;
    }

    /** The engine's messages start with the field ("from must be ...", "ring_timeout must be 1..600, got 0"). */
    static String fieldOf(String message) {
        if (message == null) return "request";
        int sp = message.indexOf(' ');
        String head = sp < 0 ? message : message.substring(0, sp);
        head = head.endsWith(":") ? head.substring(0, head.length() - 1) : head;
        return head.matches("[a-z_.]+") ? head : "request";
    }

    static String stripField(String message, String field) {
        if (message != null && message.startsWith(field)) {
            String rest = message.substring(field.length());
            if (rest.startsWith(":")) rest = rest.substring(1);
            return rest.strip();
        }
        return message;
    }

    private static Map<String, AmdParameter> amdFields() {
        Map<String, AmdParameter> m = new LinkedHashMap<>();
        m.put("machine_detection_time", AmdParameter.MACHINE_DETECTION_TIME);
        m.put("machine_detection_initial_silence", AmdParameter.INITIAL_SILENCE);
        m.put("machine_detection_greeting", AmdParameter.INITIAL_GREETING);
        m.put("machine_detection_initial_greeting", AmdParameter.INITIAL_GREETING);
        m.put("machine_detection_speech_threshold", AmdParameter.MAXIMUM_SPEECH_LENGTH);
        m.put("machine_detection_maximum_speech_length", AmdParameter.MAXIMUM_SPEECH_LENGTH);
        m.put("machine_detection_speech_end_threshold", AmdParameter.AFTER_GREETING_SILENCE);
        m.put("machine_detection_max_words", AmdParameter.MAXIMUM_WORDS);
        m.put("machine_detection_maximum_words", AmdParameter.MAXIMUM_WORDS);
        return Map.copyOf(m);
    }

    private static Set<String> fields() {
        Set<String> f = new LinkedHashSet<>(Set.of("from", "to", "caller_name", "trunk", "metadata", "status_callback",
                "status_callback_events", "answer_url", "machine_detection", "voicemail_action", "voicemail_message",
                "send_digits", "time_limit", "ring_timeout", "hangup_on_ring", "max_hold_seconds", "attestation",
                "assistant", "record", "schedule", "priority"));
        f.addAll(AMD_FIELDS.keySet());
        return Set.copyOf(f);
    }
}
