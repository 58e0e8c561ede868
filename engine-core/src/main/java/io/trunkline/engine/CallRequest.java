package io.trunkline.engine;

import io.trunkline.sip.stir.Attestation;
import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonenumber;
import io.trunkline.sip.message.HeaderSafety;

import java.util.Map;

/**
 * One call to place. Numbers are validated and normalised to E.164 with libphonenumber; every string is checked for
 * CR, LF and NUL (header injection) before anything is sent, and every error names its field.
 *
 * @param from               caller ID, E.164 ("+15550100001")
 * @param to                 callee, E.164 or a sip:/sips: URI
 * @param callerName         display name, optional
 * @param trunk              trunk name to use, or null to let the dial edge choose
 * @param ringTimeoutSeconds give up (CANCEL, no-answer) this long after the INVITE; 1..600
 * @param hangupOnRingSeconds CANCEL this long after ringing starts (0 = off); 0..600
 * @param timeLimitSeconds   hang up (time-limit) this long after answer; 1..86400
 * @param priority           0..9, higher first; equal priorities are served in arrival order
 * @param metadata           the caller's own data, carried into the CDR
 */
public record CallRequest(String from, String to, String callerName, String trunk, int ringTimeoutSeconds,
                          int hangupOnRingSeconds, int timeLimitSeconds, int priority, Map<String, String> metadata,
                          Attestation attestation, io.trunkline.engine.media.MediaRequest media) {
    public static final int DEFAULT_RING_TIMEOUT = 60;
    public static final int DEFAULT_TIME_LIMIT = 14_400;
    private static final PhoneNumberUtil PHONES = PhoneNumberUtil.getInstance();

    public CallRequest {
        from = callerId(from);
        HeaderSafety.require("to", to);
        to = to.regionMatches(true, 0, "sip:", 0, 4) || to.regionMatches(true, 0, "sips:", 0, 5) ? sipUri(to) : e164("to", to);
        HeaderSafety.optional("caller_name", callerName);
        HeaderSafety.optional("trunk", trunk);
        range("ring_timeout", ringTimeoutSeconds, 1, 600);
        range("hangup_on_ring", hangupOnRingSeconds, 0, 600);
        range("time_limit", timeLimitSeconds, 1, 86_400);
        range("priority", priority, 0, 9);
        metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
        for (Map.Entry<String, String> e : metadata.entrySet()) {
            HeaderSafety.require("metadata key", e.getKey());
            HeaderSafety.require("metadata." + e.getKey(), e.getValue());
        }
    }

    public static CallRequest of(String from, String to) {
        return new CallRequest(from, to, null, null, DEFAULT_RING_TIMEOUT, 0, DEFAULT_TIME_LIMIT, 5, Map.of(), null, null);
    }

    /** What the call does with audio: play, record, DTMF, the assistant. */
    public CallRequest withMedia(io.trunkline.engine.media.MediaRequest m) { return new CallRequest(from, to, callerName, trunk, ringTimeoutSeconds, hangupOnRingSeconds, timeLimitSeconds, priority, metadata, attestation, m); }

    /** Asks for this STIR/SHAKEN level; refused at dial() when no trunk's certificate for the caller ID allows it. */
    public CallRequest withAttestation(Attestation a) { return new CallRequest(from, to, callerName, trunk, ringTimeoutSeconds, hangupOnRingSeconds, timeLimitSeconds, priority, metadata, a, media); }

    public CallRequest withTrunk(String t) { return new CallRequest(from, to, callerName, t, ringTimeoutSeconds, hangupOnRingSeconds, timeLimitSeconds, priority, metadata, attestation, media); }
    public CallRequest withRingTimeout(int s) { return new CallRequest(from, to, callerName, trunk, s, hangupOnRingSeconds, timeLimitSeconds, priority, metadata, attestation, media); }
    public CallRequest withHangupOnRing(int s) { return new CallRequest(from, to, callerName, trunk, ringTimeoutSeconds, s, timeLimitSeconds, priority, metadata, attestation, media); }
    public CallRequest withTimeLimit(int s) { return new CallRequest(from, to, callerName, trunk, ringTimeoutSeconds, hangupOnRingSeconds, s, priority, metadata, attestation, media); }
    public CallRequest withPriority(int p) { return new CallRequest(from, to, callerName, trunk, ringTimeoutSeconds, hangupOnRingSeconds, timeLimitSeconds, p, metadata, attestation, media); }

    /** The SIP user part for a number: E.164 digits without the '+', as most trunks expect. */
    static String user(String e164OrUri) {
        return e164OrUri.startsWith("+") ? e164OrUri.substring(1) : e164OrUri;
    }

    /** Caller IDs repeat on every call of a campaign: each is parsed once (bounded: cleared when it grows past 10,000). */
    private static final java.util.concurrent.ConcurrentHashMap<String, String> CALLER_IDS = new java.util.concurrent.ConcurrentHashMap<>();

    private static String callerId(String number) {
        String known = number == null ? null : CALLER_IDS.get(number);
        if (known != null) return known;
        String n = e164("from", number);
        if (CALLER_IDS.size() >= 10_000) CALLER_IDS.clear();
        CALLER_IDS.put(number, n);
        return n;
    }

    private static String e164(String field, String number) {
        HeaderSafety.require(field, number);
        try {
            Phonenumber.PhoneNumber n = PHONES.parse(number.startsWith("+") ? number : "+" + number, "ZZ");
            if (!PHONES.isPossibleNumber(n)) {
                throw new IllegalArgumentException(field + " is not a possible E.164 number: '" + HeaderSafety.printable(number) + "'");
            }
            return PHONES.format(n, PhoneNumberUtil.PhoneNumberFormat.E164);
        } catch (NumberParseException e) {
            throw new IllegalArgumentException(field + " must be an E.164 number like +15550100001: " + e.getErrorType().name().toLowerCase());
        }
    }

    private static String sipUri(String uri) {
        for (char c : uri.toCharArray()) {
            if (c <= 0x20 || c >= 0x7f || c == '<' || c == '>' || c == '"') {
                throw new IllegalArgumentException("to has a character not allowed in a SIP URI");
            }
        }
        return uri;
    }

    private static void range(String field, int v, int min, int max) {
        if (v < min || v > max) throw new IllegalArgumentException(field + " must be " + min + ".." + max + ", got " + v);
    }
}
