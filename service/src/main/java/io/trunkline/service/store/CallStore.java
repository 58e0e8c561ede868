package io.trunkline.service.store;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The durable call store. Every method is one transaction; a method that returns has committed.
 */
public interface CallStore extends EventOutbox, AutoCloseable {

    /**
     * Inserts the calls, and the idempotency record when {@code idempotencyKey} is not null, in one transaction. When
     * the key is already stored, inserts nothing and returns the first response (or a conflict when the request hash
     * differs).
     *
     * @param response the API response to store with the key (the call ids, per-recipient errors)
     */
    AcceptResult accept(String idempotencyKey, String requestHash, List<NewCall> calls, String response);

    Optional<StoredCall> get(String id);

    /** Calls matching the query, newest first. */
    List<StoredCall> list(CallQuery query);

    /** Calls waiting to be dispatched (queued or scheduled, not dispatched, not ended). */
    long pendingCount();

    /** Calls not ended, by status (queued, scheduled, dialing, ringing, in-progress), on every node. */
    java.util.Map<String, Long> unendedByStatus();

    /**
     * Claims up to {@code max} calls that are due: waiting, not dispatched, and {@code notBefore} null or reached,
     * {@code notAfter} null or not passed; oldest first. Marks them dispatched at {@code now} in the same transaction,
     * so a call is handed to the engine at most once, whatever happens after.
     */
    List<StoredCall> claimDue(Instant now, int max);

    /**
     * Ends, as {@code expired}, up to {@code max} waiting (undispatched) calls whose {@code notAfter} has passed, with
     * the resource and event that {@code ending} builds for each. Returns the calls it ended.
     */
    List<StoredCall> expireOverdue(Instant now, int max, CallEnding ending);

    /**
     * Calls this node holds that were dispatched but never ended: in flight when the process last stopped, or adopted
     * from a node that died.
     */
    List<StoredCall> dispatchedUnended();

    /** The name of the process (node) this store claims and journals for. */
    String node();

    /**
     * Marks a call dialing just before its first INVITE, if this node still holds it from the dispatch stamped
     * {@code dispatchedAt} (not an earlier one: a node taken for dead whose calls were requeued and claimed again
     * may hold the same call twice in its engine), it has not been marked dialing yet, and, for a campaign's call,
     * the campaign is still running. Anything but {@code OK} means: do not send it.
     */
    Dialing markDialing(String id, java.time.Instant dispatchedAt, String resource);

    /**
     * Asks the node holding a call to hang it up (the API's hangup reached another node). False when no other node
     * holds it: it is this node's, or waiting, or ended.
     */
    boolean requestHangup(String id);

    /** This node's calls whose hangup another node asked for. */
    List<String> hangupsRequested();

    /** What {@link #markDialing} found. */
    enum Dialing {
        OK,
        /** Another node adopted it (this one was taken for dead), a later dispatch holds it, or it has ended: leave it alone. */
        NOT_OURS,
        /** Its campaign is paused: give it back to the store, to go when the campaign resumes. */
        CAMPAIGN_PAUSED,
        /** Its campaign was cancelled: end it. */
        CAMPAIGN_ENDED
    }

    /**
     * Journals a change of one call this node holds: its status and resource, and the events it produces, in one
     * transaction. Does nothing (returns false) once the call has ended, so a late engine event cannot reopen a final
     * call, nor when another node has adopted it.
     */
    boolean update(String id, String status, String resource, boolean ended, List<NewEvent> events);

    /**
     * Ends a call that has not been dispatched (cancel while queued or scheduled), atomically: returns false and
     * changes nothing when the call was already dispatched or ended.
     */
    boolean endUndispatched(String id, String status, String resource, List<NewEvent> events);

    /**
     * Puts a dispatched call back to waiting (the engine gave it back undialled: it was stopping, or its queue was
     * full), so it is claimed again later. Returns false when the call has ended.
     */
    boolean requeue(String id, String status, String resource);

    /**
     * Forgets idempotency keys stored before {@code before} (their calls stay): a retry that late is a new request.
     * Returns how many it removed.
     */
    int purgeIdempotencyKeys(Instant before);

    /** Every event of a call, in sequence order, with its delivery state. */
    List<StoredEvent> events(String callId);

    /** How the store ends a call it expires: the call's final resource and its events. */
    interface CallEnding {
        String resource(StoredCall call);

        List<NewEvent> events(StoredCall call);
    }

    @Override
    void close();
}
