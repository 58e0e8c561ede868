package io.trunkline.amd;

/**
 * What the detector had heard when it decided.
 *
 * @param words words counted (speech bursts of at least {@code minimum_word_length})
 * @param totalSpeechMs voiced time since answer
 * @param longestWordMs longest word, including the short gaps bridged inside it
 * @param greetingMs voiced time since the first word
 * @param initialSilenceMs time from answer to the first word (the whole analysis when there was none)
 */
public record SpeechStatistics(int words, int totalSpeechMs, int longestWordMs, int greetingMs, int initialSilenceMs) {}
