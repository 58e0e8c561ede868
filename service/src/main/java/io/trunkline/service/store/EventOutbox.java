package io.trunkline.service.store;

import java.time.Instant;
import java.util.Collection;
import java.util.List;

/**
 * The webhook side of the store: events waiting to be delivered, in order per call.
 */
public interface EventOutbox {

    /**
     * Up to {@code max} events that may be attempted now: for each call, only its lowest-sequence pending event
     * (so a call's events are delivered in order), and only when its {@code nextAttemptAt} has come; calls in
     * {@code busyCalls} (being delivered right now) are skipped. Oldest first.
     */
    List<StoredEvent> dueEvents(Instant now, int max, Collection<String> busyCalls);

    /** A receiver answered 2xx. */
    void delivered(String callId, int seq, Instant at, int attempts);

    /** An attempt failed: try again at {@code nextAttemptAt}. */
    void retryLater(String callId, int seq, int attempts, Instant nextAttemptAt, String error);

    /** The retry period ran out: the event stays in the store, undelivered, and the call's next event may go. */
    void abandon(String callId, int seq, int attempts, String error);

    /** Events not yet delivered or abandoned, across all calls. */
    long pendingEvents();

    /** The earliest {@code nextAttemptAt} of any pending event, or null when none waits. */
    Instant nextDue();
}
