package io.trunkline.engine.media;

import io.trunkline.sip.message.HeaderSafety;
import io.trunkline.amd.AmdParameters;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Answering-machine detection for one call: the detector's thresholds, when the assistant may speak, and what to do
 * when a machine answers.
 *
 * @param mode           {@code sync}: the assistant's audio waits for the verdict; {@code async}: it starts at once
 *                       and the verdict arrives as an event; {@code hangup}: like sync, and a machine ends the call
 * @param action         what a MACHINE (or SILENCE) verdict does
 * @param message        the WAV {@code leave_message} plays after the beep (or after the beep wait when none comes)
 */
public record AmdRequest(AmdParameters parameters, Mode mode, VoicemailAction action, Path message) {
    public enum Mode { SYNC, ASYNC, HANGUP }

    public enum VoicemailAction {
        /** Nothing: the call goes on (the verdict is only reported). */
        CONTINUE,
        /** End the call as {@code voicemail}. */
        HANG_UP,
        /** Wait for the beep, play the message, then end the call as {@code voicemail}. */
        LEAVE_MESSAGE,
        /** End the call as {@code voicemail}, marked for the dial layer to try again later. */
        RETRY_LATER
    }

    public AmdRequest {
        if (parameters == null) parameters = AmdParameters.defaults();
        if (mode == null) mode = Mode.SYNC;
        if (action == null) action = mode == Mode.HANGUP ? VoicemailAction.HANG_UP : VoicemailAction.CONTINUE;
        if (mode == Mode.HANGUP && action != VoicemailAction.HANG_UP) {
            throw new IllegalArgumentException("amd mode hangup ends the call on a machine; voicemail_action must be hang_up, got " + name(action));
        }
        if (action == VoicemailAction.LEAVE_MESSAGE && (message == null || !Files.isReadable(message))) {
            throw new IllegalArgumentException("voicemail_message: leave_message needs a readable WAV, got " + message);
        }
    }

    /** This request with its explicitly set parameters laid over the engine's configured defaults. */
    public AmdRequest over(AmdParameters engineDefaults) {
        return new AmdRequest(parameters.over(engineDefaults), mode, action, message);
    }

    public static Mode mode(String s) {
        try {
            return Mode.valueOf(s.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("amd mode must be sync, async or hangup, got '" + HeaderSafety.printable(s) + "'");
        }
    }

    public static VoicemailAction action(String s) {
        try {
            return VoicemailAction.valueOf(s.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("voicemail_action must be hang_up, leave_message, retry_later or continue, got '"
                    + HeaderSafety.printable(s) + "'");
        }
    }

    static String name(VoicemailAction a) { return a.name().toLowerCase(Locale.ROOT); }
}
