package io.trunkline.service.webhook;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.trunkline.service.store.StoredEvent;
import java.util.Map;

/** The JSON a receiver gets: {@code event} and {@code sequence_number} first, then the event's payload fields. */
final class WebhookBody {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private WebhookBody() {}

    /** @throws IllegalArgumentException when the payload is not a JSON object (retrying would not help) */
    static byte[] render(StoredEvent event) {
        JsonNode payload;
        try {
            payload = MAPPER.readTree(event.payload() == null ? "{}" : event.payload());
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("payload is not JSON");
        }
        if (!(payload instanceof ObjectNode fields)) throw new IllegalArgumentException("payload is not a JSON object");
        ObjectNode body = MAPPER.createObjectNode();
        body.put("event", event.type());
        body.put("sequence_number", event.seq());
        for (Map.Entry<String, JsonNode> f : fields.properties()) {
            // the deliverer's values win: a payload cannot claim another type or sequence than the outbox's
            if (!f.getKey().equals("event") && !f.getKey().equals("sequence_number")) body.set(f.getKey(), f.getValue());
        }
        try {
            return MAPPER.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e); // a tree just parsed always serialises
        }
    }
}
