package io.trunkline.engine;

import java.time.Instant;
import java.util.Map;

/**
 * The CDR of one call. Instants are null for stages the call never reached.
 *
 * @param sipCode        the SIP status that decided the end (200 for a completed call)
 * @param postDialDelayMs INVITE to first ringing (or to answer when there was no ringing), -1 when neither came
 * @param durationMs     answer to end, 0 when not answered
 * @param attempts       INVITEs sent (back-pressure retries and failover included; digest retries are not attempts)
 * @param endedBy        who ended it: {@code remote} (the callee or the carrier), {@code local} (us: a hangup, a timer,
 *                       a local error)
 * @param amd            the answering-machine verdict, or null when AMD was off or undecided
 * @param beep           the voicemail beep after a MACHINE verdict, or null
 * @param retryLater     a machine answered and the voicemail action asks the dial layer to try again later
 * @param media          packets, loss, jitter and the far end's RTCP view of our stream; null without media
 */
public record CallRecord(String id, String from, String to, String trunk, EndReason reason, int sipCode, String sipReason,
                         Instant queued, Instant inviteSent, Instant ringing, Instant answered, Instant ended,
                         long postDialDelayMs, long durationMs, int attempts, Map<String, String> metadata,
                         String endedBy, io.trunkline.amd.AmdResult amd, io.trunkline.amd.beep.Beep beep, boolean retryLater,
                         io.trunkline.engine.media.MediaQuality media) {}
