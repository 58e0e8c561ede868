package io.trunkline.service.store;

import java.time.Instant;

/**
 * One person a campaign calls.
 *
 * @param line      where it came from: the CSV line (the header is line 1) or the JSON index; its id in the campaign
 * @param phone     E.164
 * @param zones     the IANA zones of the number, comma-separated: the calling window must be open in every one
 * @param variables the other columns, as a JSON object (null when none)
 * @param status    pending, calling, settling (its call has ended; the scheduler decides what next), done, failed,
 *                  dnc or cancelled
 * @param nextAt    while pending: not dialled before this instant
 * @param outcome   the last call's outcome (completed, busy, no-answer, voicemail, failed), or why it was not called
 * @param callId    the latest call made for it
 * @param calls     every call made for it, comma-separated, oldest first
 */
public record Recipient(String campaignId, long line, String phone, String zones, String variables, String status,
                        int attempts, Instant nextAt, String outcome, String callId, String calls) {
    public static final String PENDING = "pending";
    public static final String CALLING = "calling";
    public static final String SETTLING = "settling";
    public static final String DONE = "done";
    public static final String FAILED = "failed";
    public static final String DNC = "dnc";
    public static final String CANCELLED = "cancelled";
}
