package io.trunkline.engine.media;

import io.trunkline.media.assistant.Assistant;
import io.trunkline.media.dtmf.SendDigits;
import io.trunkline.media.record.CallRecorder;

import java.nio.file.Files;
import java.nio.file.Path;
import io.trunkline.sip.sdp.SdpCodec;

import java.util.List;
import java.util.Map;

/**
 * What a call does with its audio once media flows.
 *
 * @param play            a WAV played to the callee from answer (any rate; resampled to 8 kHz), or null
 * @param record          where to record the call (WAV), or null
 * @param recordLayout    mono (mixed) or stereo (callee | engine)
 * @param sendDigits      DTMF to send (the dialer-API syntax: {@code 1w2W3}, {@code 123@1000}), or null
 * @param sendOnPreanswer send the digits as soon as early media starts (183), not at answer
 * @param assistant       the assistant that talks to the callee, or null
 * @param parameters      custom parameters handed to the assistant
 * @param fallbackMessage played when the assistant is gone, before hanging up; null = hang up at once
 * @param codecs          what to offer, in order of preference (default PCMU, PCMA; Opus when asked for)
 * @param amd             answering-machine detection from answer, or null
 */
public record MediaRequest(Path play, Path record, CallRecorder.Layout recordLayout, SendDigits sendDigits,
                           boolean sendOnPreanswer, Assistant assistant, Map<String, String> parameters,
                           Path fallbackMessage, List<SdpCodec> codecs, AmdRequest amd) {
    public MediaRequest {
        if (play != null && !Files.isReadable(play)) throw new IllegalArgumentException("play: cannot read " + play);
        if (fallbackMessage != null && !Files.isReadable(fallbackMessage)) {
            throw new IllegalArgumentException("fallback_message: cannot read " + fallbackMessage);
        }
        if (recordLayout == null) recordLayout = CallRecorder.Layout.STEREO;
        parameters = parameters == null ? Map.of() : Map.copyOf(parameters);
        codecs = codecs == null || codecs.isEmpty() ? List.of(SdpCodec.PCMU, SdpCodec.PCMA) : List.copyOf(codecs);
    }

    public static MediaRequest none() {
        return new MediaRequest(null, null, null, null, false, null, Map.of(), null, null, null);
    }

    public MediaRequest withPlay(Path p) { return new MediaRequest(p, record, recordLayout, sendDigits, sendOnPreanswer, assistant, parameters, fallbackMessage, codecs, amd); }

    public MediaRequest withRecord(Path r, CallRecorder.Layout layout) { return new MediaRequest(play, r, layout, sendDigits, sendOnPreanswer, assistant, parameters, fallbackMessage, codecs, amd); }

    /** @throws IllegalArgumentException naming send_digits and the position of the bad character */
    public MediaRequest withSendDigits(String digits, boolean onPreanswer) {
        return new MediaRequest(play, record, recordLayout, digits == null ? null : SendDigits.parse(digits), onPreanswer, assistant, parameters, fallbackMessage, codecs, amd);
    }

    public MediaRequest withAssistant(Assistant a, Map<String, String> params, Path fallback) {
        return new MediaRequest(play, record, recordLayout, sendDigits, sendOnPreanswer, a, params, fallback, codecs, amd);
    }

    /** Offers these codecs, in order (e.g. Opus first, then G.711 for trunks without it). */
    public MediaRequest withCodecs(List<SdpCodec> c) { return new MediaRequest(play, record, recordLayout, sendDigits, sendOnPreanswer, assistant, parameters, fallbackMessage, c, amd); }

    public MediaRequest withAmd(AmdRequest a) { return new MediaRequest(play, record, recordLayout, sendDigits, sendOnPreanswer, assistant, parameters, fallbackMessage, codecs, a); }
}
