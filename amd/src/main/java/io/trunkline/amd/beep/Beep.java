package io.trunkline.amd.beep;

/**
 * A detected end-of-greeting beep (one tone or a short tone sequence).
 *
 * @param startMs start of the first tone, ms from answer
 * @param endMs end of the last tone, ms from answer: play the message from here
 * @param frequencyHz frequency of the last tone
 * @param reportedMs when the detector could be sure (the end plus the quiet check after it)
 */
public record Beep(int startMs, int endMs, int frequencyHz, int reportedMs) {}
