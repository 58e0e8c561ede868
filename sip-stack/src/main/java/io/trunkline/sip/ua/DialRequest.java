package io.trunkline.sip.ua;

import io.trunkline.sip.message.HeaderSafety;

import java.util.List;
import java.util.Map;

/**
 * One outbound call attempt at the SIP layer.
 *
 * @param trunk        where the INVITE goes (the carrier's SIP address)
 * @param fromUser     caller ID user part (an E.164 number without the + in most trunks)
 * @param fromDisplay  optional display name
 * @param to           the callee: a user part (sent as sip:to@trunk-host) or a full sip:/sips: URI
 * @param sdpOffer     the SDP body (application/sdp)
 * @param extraHeaders headers to add, name and value, each checked for injection
 * @param auth         answers digest challenges, or null for none
 * @param identity     signs each INVITE attempt (STIR/SHAKEN), or null for none
 */
public record DialRequest(SipTarget trunk, String fromUser, String fromDisplay, String to, String sdpOffer,
                          List<Map.Entry<String, String>> extraHeaders, ChallengeResponder auth, IdentityProvider identity) {
    public DialRequest {
        if (trunk == null) throw new IllegalArgumentException("trunk is required");
        HeaderSafety.requireUser("from", fromUser);
        HeaderSafety.optional("caller_name", fromDisplay);
        if (fromDisplay != null && (fromDisplay.indexOf('"') >= 0 || fromDisplay.indexOf('\\') >= 0 || fromDisplay.length() > 64)) {
            throw new IllegalArgumentException("caller_name must be at most 64 characters without quotes or backslashes");
        }
        HeaderSafety.require("to", to);
        if (!to.regionMatches(true, 0, "sip:", 0, 4) && !to.regionMatches(true, 0, "sips:", 0, 5)) {
            HeaderSafety.requireUser("to", to);
        }
        if (sdpOffer == null) throw new IllegalArgumentException("sdpOffer is required");
        extraHeaders = extraHeaders == null ? List.of() : List.copyOf(extraHeaders);
        for (Map.Entry<String, String> h : extraHeaders) {
            HeaderSafety.requireHeaderName("header name", h.getKey());
            HeaderSafety.require("header " + h.getKey(), h.getValue());
        }
    }

    public DialRequest(SipTarget trunk, String fromUser, String to, String sdpOffer) {
        this(trunk, fromUser, null, to, sdpOffer, List.of(), null, null);
    }

    public DialRequest withAuth(ChallengeResponder responder) {
        return new DialRequest(trunk, fromUser, fromDisplay, to, sdpOffer, extraHeaders, responder, identity);
    }

    public DialRequest withIdentity(IdentityProvider provider) {
        return new DialRequest(trunk, fromUser, fromDisplay, to, sdpOffer, extraHeaders, auth, provider);
    }

    /** The called user part: the number itself, or the user of a sip: URI. */
    public String calledUser() {
        if (!to.regionMatches(true, 0, "sip", 0, 3)) return to;
        int colon = to.indexOf(':');
        int at = to.indexOf('@');
        return at > colon ? to.substring(colon + 1, at) : to.substring(colon + 1);
    }
}
