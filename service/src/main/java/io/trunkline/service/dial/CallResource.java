package io.trunkline.service.dial;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.trunkline.engine.CallRecord;
import io.trunkline.service.api.CallSpec;

import java.time.Instant;

/**
 * The call resource: what {@code GET /v1/calls/{id}} returns, and what every event carries about its call. One
 * mutable JSON object per call, changed only on that call's serial event thread and written to the store as a whole
 * each time it changes.
 */
public final class CallResource {
    public static final ObjectMapper JSON = new ObjectMapper();

    private final ObjectNode node;

    private CallResource(ObjectNode node) {
        this.node = node;
    }

    /** A call just accepted. */
    public static CallResource accepted(String id, CallSpec spec, Instant now) {
        ObjectNode n = JSON.createObjectNode();
        n.put("id", id);
        n.put("status", spec.notBefore() != null && spec.notBefore().isAfter(now) ? CallStatus.SCHEDULED : CallStatus.QUEUED);
        n.put("direction", "outbound");
        n.put("from", spec.request().from());
        n.put("to", spec.request().to());
        copy(spec, n, "caller_name", "trunk", "attestation", "machine_detection", "record");
        n.set("metadata", spec.metadata().isMissingNode() ? JSON.createObjectNode() : spec.metadata());
        if (spec.normalized().has("schedule")) n.set("schedule", spec.normalized().get("schedule"));
        n.put("created_at", now.toString());
        n.putNull("started_at");
        n.putNull("answered_at");
        n.putNull("ended_at");
        n.putNull("sip_code");
        n.putNull("sip_reason");
        n.putNull("hangup_by");
        n.putNull("reason");
        n.putNull("post_dial_delay_ms");
        n.put("duration_s", 0);
        n.putNull("answered_by");
        n.putNull("beep_ms");
        n.put("digits", "");
        n.putNull("recording");
        n.putArray("attempts");
        return new CallResource(n);
    }

    public static CallResource read(String json) {
        try {
            return new CallResource((ObjectNode) JSON.readTree(json));
        } catch (java.io.IOException e) {
            throw new IllegalStateException("stored call resource is not JSON", e);
        }
    }

    public String status() { return node.path("status").asText(); }

    public String id() { return node.path("id").asText(); }

    public CallResource status(String status) {
        node.put("status", status);
        return this;
    }

    public CallResource put(String field, String value) {
        node.put(field, value);
        return this;
    }

    public CallResource started(Instant at) {
        if (node.path("started_at").isNull()) node.put("started_at", at.toString());
        return this;
    }

    public CallResource answered(Instant at) {
        node.put("answered_at", at.toString());
        return this;
    }

    public CallResource digit(char d) {
        node.put("digits", node.path("digits").asText() + d);
        return this;
    }

    public CallResource machineDetection(io.trunkline.amd.AmdResult r) {
        ObjectNode md = node.putObject("machine_detection_result");
        md.put("verdict", r.verdict().name().toLowerCase(java.util.Locale.ROOT));
        md.put("cause", r.cause().name().toLowerCase(java.util.Locale.ROOT));
        md.put("decision_ms", r.decisionMs());
        node.put("answered_by", answeredBy(r));
        return this;
    }

    public CallResource beep(int atMs) {
        node.put("beep_ms", atMs);
        return this;
    }

    /** The CDR's figures, when the engine ends the call. */
    public CallResource ended(CallRecord r, String hangupBy) {
        node.put("status", CallStatus.of(r.reason()));
        if (r.inviteSent() != null) started(r.inviteSent());
        if (r.answered() != null) node.put("answered_at", r.answered().toString());
        node.put("ended_at", r.ended().toString());
        if (r.sipCode() > 0) node.put("sip_code", r.sipCode());
        if (r.sipReason() != null) node.put("sip_reason", r.sipReason());
        node.put("hangup_by", hangupBy);
        node.put("reason", r.reason().wireName());
        if (r.trunk() != null) node.put("trunk", r.trunk());
        if (r.postDialDelayMs() >= 0) node.put("post_dial_delay_ms", r.postDialDelayMs());
        node.put("duration_s", Math.round(r.durationMs() / 1000.0));
        node.put("duration_ms", r.durationMs());
        if (r.amd() != null) machineDetection(r.amd());
        if (r.beep() != null) node.put("beep_ms", r.beep().reportedMs());
        if (r.retryLater()) node.put("retry_later", true);
        var attempts = node.putArray("attempts");
        for (int i = 1; i <= r.attempts(); i++) {
            ObjectNode a = attempts.addObject();
            a.put("attempt", i);
            // the CDR names the trunk of the last attempt; earlier ones were back-pressure retries or failover
            if (i == r.attempts()) {
                if (r.trunk() != null) a.put("trunk", r.trunk());
                a.put("outcome", r.reason().wireName());
                if (r.sipCode() > 0) a.put("sip_code", r.sipCode());
            } else {
                a.put("outcome", "retried");
            }
        }
        if (r.media() != null) {
            ObjectNode media = JSON.valueToTree(r.media());
            media.remove("firstAudioAtMs");
            node.set("media", media);
            if (r.media().firstAudioAtMs() > 0) node.put("first_audio_at", Instant.ofEpochMilli(r.media().firstAudioAtMs()).toString());
        }
        if (r.answered() != null && r.amd() != null && r.amd().statistics() != null && r.amd().verdict() == io.trunkline.amd.AmdVerdict.HUMAN) {
            // the greeting's end as the detector heard it: its first word plus its voiced time, never later than the
            // verdict (voiced time leaves the pauses out, so this errs early: the abandoned-call rule counts from here)
            var st = r.amd().statistics();
            long endMs = Math.min(r.amd().decisionMs(), (long) st.initialSilenceMs() + st.greetingMs());
            node.put("greeting_ended_at", r.answered().plusMillis(endMs).toString());
        }
        return this;
    }

    /** Ends a call the engine never had (cancelled while waiting, expired, lost to a restart). */
    public CallResource endedHere(String status, String reason, String hangupBy, Instant at) {
        node.put("status", status);
        node.put("ended_at", at.toString());
        node.put("reason", reason);
        node.put("hangup_by", hangupBy);
        return this;
    }

    /** The event payload: the call's identity, its metadata, and the fields of this event. */
    public ObjectNode event(Instant at) {
        ObjectNode e = JSON.createObjectNode();
        e.put("call_id", id());
        e.put("status", status());
        e.put("from", node.path("from").asText());
        e.put("to", node.path("to").asText());
        e.put("timestamp", at.toString());
        e.set("metadata", node.path("metadata"));
        return e;
    }

    /** The completed event carries the whole CDR. */
    public ObjectNode completedEvent(Instant at) {
        ObjectNode e = event(at);
        e.set("call", node.deepCopy());
        return e;
    }

    public JsonNode node() { return node; }

    public String json() { return node.toString(); }

    private static String answeredBy(io.trunkline.amd.AmdResult r) {
        return switch (r.verdict()) {
            case HUMAN -> "human";
            case MACHINE -> "machine";
            case SILENCE -> "silence";
            default -> "unknown";
        };
    }

    private static void copy(CallSpec spec, ObjectNode n, String... fields) {
        for (String f : fields) {
            String v = spec.text(f);
            if (v != null) n.put(f, v);
        }
    }
}
