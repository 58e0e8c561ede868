package io.trunkline.amd;

/**
 * The AMD verdict.
 *
 * @param verdict what answered
 * @param cause the rule that decided
 * @param decisionMs when it was decided, in ms of audio from the answer
 * @param statistics the speech measures the rules used
 */
public record AmdResult(AmdVerdict verdict, AmdCause cause, int decisionMs, SpeechStatistics statistics) {}
