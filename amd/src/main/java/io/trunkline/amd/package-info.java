/**
 * Answering-machine detection (AMD) on 8 kHz call audio.
 *
 * <p>{@link io.trunkline.amd.AnsweringMachineDetector} is the entry point: it takes 20 ms frames of
 * 8 kHz 16-bit PCM, classifies each frame with the WebRTC VAD ({@code vad}), counts words and silences
 * with {@link io.trunkline.amd.AmdStateMachine} (after Asterisk's app_amd), and after a MACHINE
 * verdict listens for the voicemail beep ({@code beep}). {@code audio} reads WAV files for offline use
 * and {@code eval} measures the detector on a labelled corpus.
 */
package io.trunkline.amd;
