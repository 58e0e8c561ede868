package io.trunkline.service.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.trunkline.engine.Engine;
import io.trunkline.service.config.ApiKey;
import io.trunkline.service.config.ServiceConfig;
import io.trunkline.service.dial.CallDispatcher;
import io.trunkline.service.dial.CallResource;
import io.trunkline.service.dial.CallStatus;
import io.trunkline.service.store.AcceptResult;
import io.trunkline.service.store.CallQuery;
import io.trunkline.service.store.CallStore;
import io.trunkline.service.store.NewCall;
import io.trunkline.service.store.StoredCall;
import io.trunkline.service.store.StoredEvent;

import java.nio.file.Files;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The calls API, independent of the HTTP server: each method takes what the request carried and returns the
 * status and JSON body. Every accepted call is in the store (committed) before the method returns.
 */
public final class CallsApi {
    static final ObjectMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();
    private static final Set<String> BATCH_FIELDS = Set.of("defaults", "recipients");
    private static final Set<String> LIST_PARAMS = Set.of("status", "from", "to", "since", "until", "limit", "cursor");

    private final CallStore store;
    private final Engine engine;
    private final CallDispatcher dispatcher;
    private final ServiceConfig config;
    private final Clock clock;
    private volatile boolean accepting = true;
    private final io.trunkline.service.store.WaitingCalls waiting;

    public CallsApi(CallStore store, io.trunkline.service.store.WaitingCalls waiting, Engine engine, CallDispatcher dispatcher,
                    ServiceConfig config, Clock clock) {
        this.waiting = waiting;
        this.store = store;
        this.engine = engine;
        this.dispatcher = dispatcher;
        this.config = config;
        this.clock = clock;
    }

    /** A stopping service refuses new calls with 503; what it accepted is kept. */
    public void stopAccepting() { accepting = false; }

    public boolean accepting() { return accepting; }

    /** POST /v1/calls */
    public ApiResponse create(ApiKey key, byte[] body, String idempotencyKey) {
        checkIdempotencyKey(idempotencyKey);
        JsonNode root = parse(body);
        Instant now = clock.instant();
        CallSpec spec = CallSpec.parse(root, "", now);
        check(spec, "");
        admit(1); // after validation: a bad request is a 400 whatever the queue holds
        String id = newId();
        CallResource resource = CallResource.accepted(id, spec, now);
        ApiResponse response = new ApiResponse(201, resource.json());
        boolean due = spec.notBefore() == null || !spec.notBefore().isAfter(now);
        NewCall call = newCall(id, key, spec, resource, now, due && dispatcher.canTakeDirectly() ? now : null);
        AcceptResult r = store.accept(scoped(key, idempotencyKey), hash("calls", body), List.of(call), response.stored());
        boolean direct = call.dispatchedAt() != null && !r.replayed() && !r.conflict();
        if (direct) dispatcher.dispatchAccepted(call.stored(), spec, resource);
        return finish(r, response, !direct);
    }

    /** POST /v1/calls/batch: {"defaults": {...}, "recipients": [{...}, ...]}, each recipient over the defaults. */
    public ApiResponse batch(ApiKey key, byte[] body, String idempotencyKey) {
        checkIdempotencyKey(idempotencyKey);
        JsonNode root = parse(body);
        if (!root.isObject()) throw ApiException.validation(null, "body must be a JSON object with recipients");
        JsonFields.refuseUnknown(root, "", BATCH_FIELDS);
        JsonNode defaults = root.path("defaults");
        if (!defaults.isMissingNode() && !defaults.isObject()) throw ApiException.validation("defaults", "must be an object of call fields");
        JsonNode recipients = root.get("recipients");
        if (recipients == null || !recipients.isArray() || recipients.isEmpty()) {
            throw ApiException.validation("recipients", "must be an array of 1.." + ServiceConfig.MAX_BATCH + " recipients");
        }
        if (recipients.size() > ServiceConfig.MAX_BATCH) {
            throw ApiException.validation("recipients", "must hold at most " + ServiceConfig.MAX_BATCH + " recipients, got " + recipients.size());
        }
        Instant now = clock.instant();
        admit(recipients.size());
        List<NewCall> calls = new ArrayList<>(recipients.size());
        ObjectNode out = JSON.createObjectNode();
        ArrayNode results = out.putArray("calls");
        int accepted = 0;
        for (int i = 0; i < recipients.size(); i++) {
            String path = "recipients[" + i + "].";
            ObjectNode result = results.addObject();
            result.put("index", i);
            try {
                CallSpec spec = CallSpec.parse(merge(defaults, recipients.get(i), path), path, now);
                check(spec, path);
                String id = newId();
                CallResource resource = CallResource.accepted(id, spec, now);
                calls.add(newCall(id, key, spec, resource, now, null));
                result.put("id", id);
                result.put("status", resource.status());
                result.put("to", spec.request().to());
                accepted++;
            } catch (ApiException e) {
                result.put("error", e.error());
                result.put("field", e.field());
                result.put("message", e.getMessage());
            }
        }
        out.put("accepted", accepted);
        out.put("refused", recipients.size() - accepted);
        ApiResponse response = new ApiResponse(accepted > 0 ? 201 : 400, out.toString());
        AcceptResult r = store.accept(scoped(key, idempotencyKey), hash("batch", body), calls, response.stored());
        return finish(r, response, true);
    }

    /** GET /v1/calls/{id} */
    public ApiResponse get(ApiKey key, String id) {
        return new ApiResponse(200, find(key, id).resource());
    }

    /** GET /v1/calls/{id}/events */
    public ApiResponse events(ApiKey key, String id) {
        find(key, id);
        ObjectNode out = JSON.createObjectNode();
        ArrayNode arr = out.putArray("events");
        for (StoredEvent e : store.events(id)) {
            ObjectNode n = arr.addObject();
            n.put("sequence_number", e.seq());
            n.put("event", e.type());
            n.put("created_at", e.createdAt().toString());
            n.put("url", e.url());
            n.put("state", e.deliveredAt() != null ? (e.url() == null ? "no_webhook" : "delivered") : e.abandoned() ? "abandoned" : "pending");
            n.put("attempts", e.attempts());
            if (e.deliveredAt() != null && e.url() != null) n.put("delivered_at", e.deliveredAt().toString());
            if (e.pending()) n.put("next_attempt_at", e.nextAttemptAt().toString());
            if (e.lastError() != null) n.put("last_error", e.lastError());
            n.set("payload", read(e.payload()));
        }
        return new ApiResponse(200, out.toString());
    }

    /** GET /v1/calls?status=&from=&to=&since=&until=&limit=&cursor= */
    public ApiResponse list(ApiKey key, Map<String, List<String>> params) {
        for (String p : params.keySet()) {
            if (!LIST_PARAMS.contains(p)) throw ApiException.validation(p, "unknown query parameter; allowed: " + String.join(", ", new java.util.TreeSet<>(LIST_PARAMS)));
        }
        String status = one(params, "status");
        if (status != null && !CallStatus.ALL.contains(status)) {
            throw ApiException.validation("status", "must be one of " + String.join(", ", new java.util.TreeSet<>(CallStatus.ALL)));
        }
        int limit = 50;
        String l = one(params, "limit");
        if (l != null) {
            try {
                limit = Integer.parseInt(l);
            } catch (NumberFormatException e) {
                limit = -1;
            }
            if (limit < 1 || limit > 1000) throw ApiException.validation("limit", "must be 1..1000, got '" + io.trunkline.sip.message.HeaderSafety.printable(l) + "'");
        }
        long before = 0;
        String cursor = one(params, "cursor");
        if (cursor != null) {
            try {
                before = Long.parseLong(cursor);
                if (before <= 0) throw new NumberFormatException();
            } catch (NumberFormatException e) {
                throw ApiException.validation("cursor", "must be a next_cursor value from an earlier page");
            }
        }
        List<StoredCall> page = store.list(new CallQuery(status, number(params, "from"), number(params, "to"),
                instant(params, "since"), instant(params, "until"), before, limit, key.id()));
        ObjectNode out = JSON.createObjectNode();
        ArrayNode arr = out.putArray("calls");
        for (StoredCall c : page) arr.add(read(c.resource()));
        if (page.size() == limit) out.put("next_cursor", String.valueOf(page.get(page.size() - 1).seq()));
        else out.putNull("next_cursor");
        return new ApiResponse(200, out.toString());
    }

    /** POST /v1/calls/{id}/hangup */
    public ApiResponse hangup(ApiKey key, String id) {
        find(key, id); // another key's call is not found, and not touched
        CallDispatcher.Hangup h = dispatcher.hangup(id);
        if (h == CallDispatcher.Hangup.NOT_FOUND) throw ApiException.notFound("no call " + io.trunkline.sip.message.HeaderSafety.printable(id));
        // SIGNALLED: the engine is cancelling or hanging up; the final status follows in the completed event
        return new ApiResponse(h == CallDispatcher.Hangup.SIGNALLED ? 202 : 200, find(key, id).resource());
    }

    /** The call, when this key created it: each API key sees only its own calls. */
    private StoredCall find(ApiKey key, String id) {
        if (id == null || !id.matches("CA[0-9a-f]{32}")) throw ApiException.notFound("no call " + io.trunkline.sip.message.HeaderSafety.printable(String.valueOf(id)));
        return store.get(id).filter(c -> c.apiKeyId().equals(key.id())).orElseThrow(() -> ApiException.notFound("no call " + id));
    }

    /** What the engine would refuse, and prompts that are not there, are refused now, naming the field. */
    void check(CallSpec spec, String path) {
        try {
            engine.validate(spec.request());
        } catch (IllegalArgumentException e) {
            String msg = String.valueOf(e.getMessage());
            String field = msg.startsWith("trunk") ? "trunk" : msg.startsWith("attestation") ? "attestation" : "from";
            throw ApiException.validation(path + field, CallSpec.stripField(msg, field));
        }
        String message = spec.text("voicemail_message");
        if (message != null && !Files.isReadable(config.promptsDir().resolve(message))) {
            throw ApiException.validation(path + "voicemail_message", "no such prompt in the server's prompts folder: " + message);
        }
        String assistant = spec.normalized().path("assistant").path("url").asText(null);
        if (assistant != null && !dispatcher.canStreamTo(assistant)) {
            throw ApiException.validation(path + "assistant", "this service already streams to the most distinct assistant URLs it keeps open; use one of those");
        }
        boolean media = spec.amdMode() != null || spec.text("send_digits") != null || spec.text("record") != null || spec.normalized().has("assistant");
        if (media && engine.media() == null) {
            throw ApiException.validation(path + (spec.amdMode() != null ? "machine_detection" : spec.text("record") != null ? "record"
                    : spec.text("send_digits") != null ? "send_digits" : "assistant"), "this engine carries no audio (its configuration has media off)");
        }
    }

    /** 503 while stopping; 429 with Retry-After when the calls waiting to be dialled would pass the configured bound. */
    private void admit(int n) {
        if (!accepting) throw new ApiException(503, "unavailable", null, "the service is stopping", 5);
        long seen = waiting.get();
        if (seen + n > config.maxWaiting()) {
            throw new ApiException(429, "rate_limited", null, "the dial queue is full: " + seen + " calls are waiting (server.max_waiting "
                    + config.maxWaiting() + ")", 1);
        }
        waiting.admitted(n);
    }

    private ApiResponse finish(AcceptResult r, ApiResponse fresh, boolean wakeDispatcher) {
        if (r.conflict()) {
            throw new ApiException(422, "idempotency_conflict", "Idempotency-Key", "this key was used with a different request body", 0);
        }
        if (r.replayed()) return ApiResponse.fromStored(r.response());
        if (wakeDispatcher) dispatcher.wake();
        return fresh;
    }

    private static NewCall newCall(String id, ApiKey key, CallSpec spec, CallResource resource, Instant now, Instant dispatchedAt) {
        return new NewCall(id, resource.status(), spec.request().from(), spec.request().to(), key.id(), now, spec.notBefore(),
                spec.notAfter(), spec.normalized().toString(), resource.json(), dispatchedAt);
    }

    /** A recipient over the batch defaults: its fields win; metadata objects are merged; variables feed the assistant. */
    static JsonNode merge(JsonNode defaults, JsonNode recipient, String path) {
        if (recipient == null || !recipient.isObject()) throw ApiException.validation(path.substring(0, path.length() - 1), "must be a JSON object");
        ObjectNode m = defaults.isObject() ? ((ObjectNode) defaults).deepCopy() : JSON.createObjectNode();
        recipient.fields().forEachRemaining(e -> {
            if (e.getKey().equals("variables")) return;
            if (e.getKey().equals("metadata") && m.get("metadata") instanceof ObjectNode dm && e.getValue().isObject()) {
                dm.setAll((ObjectNode) e.getValue());
            } else {
                m.set(e.getKey(), e.getValue());
            }
        });
        JsonNode vars = recipient.get("variables");
        if (vars != null && !vars.isNull()) {
            if (!vars.isObject()) throw ApiException.validation(path + "variables", "must be an object of strings");
            ObjectNode meta = m.get("metadata") instanceof ObjectNode mm ? mm : m.putObject("metadata");
            meta.set("variables", vars);
            if (m.get("assistant") instanceof ObjectNode a) {
                ObjectNode params = a.get("parameters") instanceof ObjectNode p ? p : a.putObject("parameters");
                params.setAll((ObjectNode) vars);
            } else if (m.get("assistant") != null && m.get("assistant").isTextual()) {
                ObjectNode a = JSON.createObjectNode();
                a.put("url", m.get("assistant").textValue());
                a.set("parameters", vars);
                m.set("assistant", a);
            }
        }
        return m;
    }

    static JsonNode parseJson(byte[] body) {
        return parse(body);
    }

    private static JsonNode parse(byte[] body) {
        if (body == null || body.length == 0) throw ApiException.validation(null, "body is required (JSON)");
        try {
            return JSON.readTree(body);
        } catch (JsonProcessingException e) {
            throw ApiException.validation(null, "body is not valid JSON: " + e.getOriginalMessage()
                    + (e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr()));
        } catch (java.io.IOException e) {
            throw ApiException.validation(null, "body could not be read");
        }
    }

    private static JsonNode read(String json) {
        try {
            return JSON.readTree(json);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void checkIdempotencyKey(String key) {
        if (key == null) return;
        if (key.isEmpty() || key.length() > 255 || !key.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            throw ApiException.validation("Idempotency-Key", "must be 1..255 visible ASCII characters");
        }
    }

    /** Keys are per API key: two tenants may pick the same key without seeing each other's calls. */
    private static String scoped(ApiKey key, String idempotencyKey) {
        return idempotencyKey == null ? null : key.id() + ":" + idempotencyKey;
    }

    private static String hash(String endpoint, byte[] body) {
        try {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            d.update(endpoint.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            d.update((byte) 0);
            return HexFormat.of().formatHex(d.digest(body));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String newId() {
        return newId("CA");
    }

    /** A resource id: its two-letter kind (CA a call, CP a campaign) and 32 hex digits. */
    static String newId(String prefix) {
        UUID u = UUID.randomUUID();
        return prefix + HexFormat.of().toHexDigits(u.getMostSignificantBits()) + HexFormat.of().toHexDigits(u.getLeastSignificantBits());
    }

    static String one(Map<String, List<String>> params, String name) {
        List<String> v = params.get(name);
        if (v == null || v.isEmpty()) return null;
        if (v.size() > 1) throw ApiException.validation(name, "must be given once");
        return v.get(0);
    }

    private static String number(Map<String, List<String>> params, String name) {
        String v = one(params, name);
        if (v == null) return null;
        io.trunkline.sip.message.HeaderSafety.require(name, v);
        v = v.strip(); // an unescaped '+' in a query string arrives as a space
        return v.startsWith("+") || v.contains(":") ? v : "+" + v;
    }

    private static Instant instant(Map<String, List<String>> params, String name) {
        String v = one(params, name);
        if (v == null) return null;
        try {
            return Instant.parse(v);
        } catch (java.time.format.DateTimeParseException e) {
            throw ApiException.validation(name, "must be an ISO-8601 instant like 2026-12-03T14:00:00Z");
        }
    }
}
