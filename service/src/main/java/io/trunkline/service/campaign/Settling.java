package io.trunkline.service.campaign;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.trunkline.service.dial.CallDispatcher;
import io.trunkline.service.dial.CallStatus;
import io.trunkline.service.store.JdbcCampaignStore.Ended;
import io.trunkline.service.store.JdbcCampaignStore.Outcome;
import io.trunkline.service.store.JdbcCampaignStore.Settlement;
import io.trunkline.service.store.Recipient;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;

/**
 * What happens to a recipient once its call has ended: the outcome rules of a campaign.
 * <ul>
 * <li>A call answered by a person (or by something the detector could not call a machine) is final: answered
 *     humans are never dialled again.</li>
 * <li>{@code busy}, {@code no-answer}, {@code failed}, and a machine with {@code voicemail_action: retry_later}
 *     are retried by the campaign's rule for that outcome, after its delay and inside the recipient's next window,
 *     until the attempts run out; then the recipient is {@code failed} (or {@code done} for a voicemail).</li>
 * <li>A call that ended because its window closed before it started ({@code expired}) did not count: the recipient
 *     waits for its next window, its attempt given back.</li>
 * <li>A call that was in flight on a node that died is final ({@code interrupted}): it may have been answered,
 *     and dialling a person twice is worse than missing them.</li>
 * </ul>
 * <p>The abandoned-call rule (FTC TSR, Ofcom): a person answered and nobody spoke to them within 2 s of the end of
 * their greeting (from the answer when the detector was off). "Spoke" is the first audio the assistant (or a
 * prompt) sent; a campaign without either abandons every call a person answers.
 */
public final class Settling {
    static final Duration ABANDON_AFTER = Duration.ofSeconds(2);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, RetryRule> retry;
    private final CallingWindow window;
    private final Instant endAt;
    private final boolean cancelled;

    public Settling(Map<String, RetryRule> retry, CallingWindow window, Instant endAt, boolean cancelled) {
        this.retry = retry;
        this.window = window;
        this.endAt = endAt;
        this.cancelled = cancelled;
    }

    public Settlement settle(Ended e, Instant now) {
        JsonNode call = read(e.callResource());
        Recipient r = e.recipient();
        String status = e.callStatus();
        // settled within a round of the call's end: the scheduler's clock, not the engine's stamps, dates it, so
        // retry delays and the 30-day figures run on the one clock that windows use
        Instant ended = now;
        if (status.equals(CallStatus.EXPIRED)) { // never started: its window closed first; wait for the next
            return later(r, now, null, "expired", true);
        }
        boolean answered = !call.path("answered_at").isMissingNode() && !call.path("answered_at").isNull();
        String answeredBy = call.path("answered_by").asText("");
        boolean machine = answeredBy.startsWith("machine") || answeredBy.equals("fax");
        boolean human = answered && !machine && !answeredBy.equals("silence");
        String outcome = switch (status) {
            case CallStatus.COMPLETED, CallStatus.VOICEMAIL -> machine ? "voicemail" : "completed";
            case CallStatus.FAILED -> CallDispatcher.RESTARTED.equals(call.path("reason").asText()) ? "interrupted" : "failed";
            default -> status; // busy, no-answer, canceled
        };
        Outcome counted = new Outcome(outcome, human, human && abandoned(call), ended);
        if (human || outcome.equals("interrupted") || outcome.equals("canceled") || outcome.equals("completed")) {
            return new Settlement(outcome.equals("canceled") ? Recipient.CANCELLED : outcome.equals("interrupted") ? Recipient.FAILED : Recipient.DONE,
                    null, outcome, false, counted);
        }
        boolean wantsRetry = !outcome.equals("voicemail") || call.path("retry_later").asBoolean(false);
        RetryRule rule = wantsRetry ? retry.get(outcome) : null;
        if (cancelled || rule == null || r.attempts() >= rule.maxAttempts()) {
            return new Settlement(outcome.equals("voicemail") ? Recipient.DONE : Recipient.FAILED, null, outcome, false, counted);
        }
        return later(r, ended.plusSeconds(rule.delaySeconds()), counted, outcome, false);
    }

    /** Back to pending at the window's first opening at or after {@code from}; final when none comes before the end. */
    private Settlement later(Recipient r, Instant from, Outcome counted, String outcome, boolean refund) {
        Instant next = cancelled ? null : window.nextOpen(from, zones(r));
        if (next == null || endAt != null && !next.isBefore(endAt)) {
            return new Settlement(refund ? Recipient.CANCELLED : Recipient.FAILED, null,
                    refund ? "no calling window left before the campaign's end" : outcome, refund, counted);
        }
        return new Settlement(Recipient.PENDING, next, outcome, refund, counted);
    }

    /** Whether a call a person answered was abandoned: no audio reached them within 2 s of their greeting's end. */
    static boolean abandoned(JsonNode call) {
        Instant answered = instant(call.path("answered_at"), null);
        if (answered == null) return false;
        Instant greetingEnd = instant(call.path("greeting_ended_at"), answered);
        Instant firstAudio = instant(call.path("first_audio_at"), null);
        if (firstAudio == null) return true;
        return Duration.between(greetingEnd.isAfter(firstAudio) ? firstAudio : greetingEnd, firstAudio).compareTo(ABANDON_AFTER) > 0;
    }

    private static List<ZoneId> zones(Recipient r) {
        return RecipientImporter.zoneIds(r.zones());
    }

    private static Instant instant(JsonNode n, Instant def) {
        if (n == null || !n.isTextual()) return def;
        try {
            return Instant.parse(n.textValue());
        } catch (java.time.format.DateTimeParseException e) {
            return def;
        }
    }

    private static JsonNode read(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            return JSON.createObjectNode();
        }
    }
}
