package io.trunkline.service.store;

/**
 * An event to append to a call's outbox. The store gives it the call's next sequence number (1, 2, 3 ...).
 *
 * @param type    ringing, answered, machine_detection, dtmf, completed
 * @param payload the event's fields as a JSON object (the deliverer adds the sequence number)
 * @param url     where to deliver it, or null when the call asked for no webhook (the event is then kept as
 *                delivered, for GET /v1/calls/{id}/events)
 */
public record NewEvent(String type, String payload, String url) {}
