package io.trunkline.service.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * A campaign's calls are built from its settings parsed once ({@link CallSpec#forRecipient}) instead of parsing each
 * call in full: the two must give the same call, field for field, for every kind of settings, and refuse the same
 * bad recipients with the same field named.
 */
class CallTemplateTest {
    private static final Instant NOW = Instant.parse("2027-01-04T17:00:00Z");
    private static final Instant LATEST = Instant.parse("2027-01-04T21:00:00Z");

    /** Call defaults as campaigns are created with them (CAMPAIGNS.md), from bare to every option at once. */
    private static final List<String> DEFAULTS = List.of(
            "{}",
            "{\"ring_timeout\":25,\"time_limit\":600,\"priority\":2,\"caller_name\":\"Acme Clinic\",\"attestation\":\"b\"}",
            "{\"machine_detection\":\"async\",\"machine_detection_time\":3000,\"machine_detection_speech_threshold\":2400,"
                    + "\"voicemail_action\":\"leave_message\",\"voicemail_message\":\"reminder.wav\",\"record\":true}",
            "{\"assistant\":\"wss://agent.example/stream\",\"status_callback\":\"https://hooks.example/calls\","
                    + "\"status_callback_events\":[\"answered\",\"completed\"],\"metadata\":{\"team\":\"renewals\"}}",
            "{\"assistant\":{\"url\":\"wss://agent.example/s\",\"parameters\":{\"voice\":\"alloy\",\"name\":\"default\"}},"
                    + "\"send_digits\":\"ww1234#\",\"hangup_on_ring\":20,\"machine_detection\":\"hangup\"}");

    private static final List<String> VARIABLES = List.of("null", "{\"name\":\"Ada\",\"plan\":\"gold\"}", "{\"name\":\"Grace\",\"visits\":3}");

    @Test
    void theTemplateGivesTheCallTheFullParseGives() throws Exception {
        int compared = 0;
        for (String d : DEFAULTS) {
            JsonNode defaults = CallsApi.JSON.readTree(d);
            CallSpec template = CallSpec.parse(CallsApi.merge(defaults, CallsApi.JSON.readTree("{\"from\":\"+15550100001\",\"to\":\"+15550100001\"}"), ""), "", Instant.EPOCH);
            for (String v : VARIABLES) {
                JsonNode vars = CallsApi.JSON.readTree(v);
                for (String[] numbers : new String[][] {{"+15550100001", "+12125550143"}, {"+15550100002", "+442079460000"}}) {
                    ObjectNode meta = CallsApi.JSON.createObjectNode().put("campaign_id", "CPx").put("recipient_line", 7).put("attempt", 2);
                    ObjectNode rec = CallsApi.JSON.createObjectNode().put("from", numbers[0]).put("to", numbers[1]);
                    rec.set("metadata", meta.deepCopy());
                    if (!vars.isNull()) rec.set("variables", vars);
                    rec.putObject("schedule").put("latest_at", LATEST.toString());
                    CallSpec full = CallSpec.parse(CallsApi.merge(defaults, rec, ""), "", NOW);
                    CallSpec fast = template.forRecipient(numbers[0], numbers[1], meta, vars.isNull() ? null : (ObjectNode) vars, LATEST, NOW, "");
                    assertNotNull(fast, d);
                    assertEquals(full.normalized(), fast.normalized(), d + " with " + v);
                    assertEquals(full.request(), fast.request(), d);
                    assertEquals(full.notAfter(), fast.notAfter());
                    assertEquals(full.notBefore(), fast.notBefore());
                    assertEquals(full.amdParameters(), fast.amdParameters(), d);
                    // and what the store keeps reads back the same
                    assertEquals(CallSpec.stored(full.normalized()).normalized(), CallSpec.stored(fast.normalized()).normalized());
                    compared++;
                }
            }
        }
        assertEquals(DEFAULTS.size() * VARIABLES.size() * 2, compared);
    }

    @Test
    void badRecipientsAreRefusedAsTheFullParseRefusesThem() throws Exception {
        CallSpec template = CallSpec.parse(CallsApi.merge(CallsApi.JSON.readTree("{\"assistant\":\"wss://agent.example/s\"}"),
                CallsApi.JSON.readTree("{\"from\":\"+15550100001\",\"to\":\"+15550100001\"}"), ""), "", Instant.EPOCH);
        ObjectNode meta = CallsApi.JSON.createObjectNode().put("campaign_id", "CPx");
        for (String to : List.of("+1", "+1555\r\nX-Evil: 1", "not a number")) {
            ApiException fast = assertThrows(ApiException.class, () -> template.forRecipient("+15550100001", to, meta, null, LATEST, NOW, "r."));
            ObjectNode rec = CallsApi.JSON.createObjectNode().put("from", "+15550100001").put("to", to);
            rec.putObject("schedule").put("latest_at", LATEST.toString());
            ApiException full = assertThrows(ApiException.class, () -> CallSpec.parse(CallsApi.merge(template.normalized(), rec, "r."), "r.", NOW));
            assertEquals(full.field() + ": " + full.getMessage(), fast.field() + ": " + fast.getMessage(), to);
        }
        ObjectNode nested = (ObjectNode) CallsApi.JSON.readTree("{\"address\":{\"city\":\"Oslo\"}}");
        assertEquals("r.assistant.parameters.address",
                assertThrows(ApiException.class, () -> template.forRecipient("+15550100001", "+12125550143", meta, nested, LATEST, NOW, "r."))
                        .field());
        assertThrows(ApiException.class, () -> template.forRecipient("+15550100001", "+12125550143", meta, null, NOW, NOW, "r."), "a window closed already");
    }

    @Test
    void settingsWithAScheduleOrHoldLimitOfTheirOwnAreParsedInFull() throws Exception {
        CallSpec scheduled = CallSpec.parse(CallsApi.JSON.readTree("{\"from\":\"+15550100001\",\"to\":\"+15550100001\","
                + "\"schedule\":{\"latest_at\":\"2027-02-01T00:00:00Z\"}}"), "", Instant.EPOCH);
        assertNull(scheduled.forRecipient("+15550100001", "+12125550143", CallsApi.JSON.createObjectNode(), null, LATEST, NOW, ""));
    }
}
