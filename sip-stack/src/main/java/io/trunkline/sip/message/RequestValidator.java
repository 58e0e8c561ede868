package io.trunkline.sip.message;

import gov.nist.javax.sip.address.SipUri;
import gov.nist.javax.sip.header.Via;
import gov.nist.javax.sip.message.SIPRequest;

import javax.sip.header.AcceptHeader;
import javax.sip.header.ContentTypeHeader;
import javax.sip.header.ContactHeader;
import javax.sip.header.RequireHeader;
import javax.sip.message.Request;
import java.util.ArrayList;
import java.util.List;
import java.util.ListIterator;
import java.util.Set;

/**
 * The checks RFC 3261 §8.2 asks of a UAS before it acts on a request, in the RFC's order: method (the version is
 * checked by {@link SipCodec} on the raw request line),
 * header consistency, Request-URI scheme, Require, content type and Accept. The result says which response to send;
 * the caller builds it, so the same checks serve the engine's UA and the carrier simulator.
 */
public final class RequestValidator {
    /** Methods this user agent implements (advertised in Allow). */
    public static final List<String> ALLOWED = List.of(
            Request.INVITE, Request.ACK, Request.CANCEL, Request.BYE, Request.OPTIONS);

    /** Methods defined by RFCs that we recognise but do not serve: 405, not 501 (RFC 3261 §8.2.1). */
    private static final Set<String> KNOWN_UNSUPPORTED = Set.of(
            Request.REGISTER, Request.INFO, Request.PRACK, Request.UPDATE, Request.SUBSCRIBE, Request.NOTIFY,
            Request.MESSAGE, Request.REFER, Request.PUBLISH);

    private static final Set<String> URI_SCHEMES = Set.of("sip", "sips", "tel");

    /** A verdict: no problem, or the status code, reason and the extra headers RFC 3261 requires with it. */
    public record Verdict(int status, String reason, String extraHeaderName, String extraHeaderValue) {
        static final Verdict OK = new Verdict(0, null, null, null);

        public boolean ok() { return status == 0; }

        static Verdict of(int status, String reason) { return new Verdict(status, reason, null, null); }
    }

    private RequestValidator() {}

    public static Verdict check(SIPRequest request) {
        String method = request.getMethod();
        boolean known = ALLOWED.contains(method) || KNOWN_UNSUPPORTED.contains(method);
        if (!known) {
            return new Verdict(501, "Not Implemented", "Allow", allowValue());
        }
        if (!method.equals(request.getCSeq().getMethod())) {
            return Verdict.of(400, "CSeq method does not match the request method");
        }
        long seq = request.getCSeq().getSeqNumber();
        if (seq < 0 || seq > 0xFFFF_FFFFL) {
            return Verdict.of(400, "CSeq out of range");
        }
        Via via = request.getTopmostVia();
        String branch = via.getBranch();
        if (branch != null && branch.equalsIgnoreCase("z9hG4bK")) {
            return Verdict.of(400, "Via branch has no transaction identifier");
        }
        String scheme = request.getRequestURI().getScheme().toLowerCase();
        if (!URI_SCHEMES.contains(scheme)) {
            return new Verdict(416, "Unsupported URI Scheme", null, null);
        }
        if (request.getRequestURI() instanceof SipUri sip && sip.getHeaderNames().hasNext()) {
            return Verdict.of(400, "Request-URI carries headers");
        }
        if (!Request.ACK.equals(method) && !Request.CANCEL.equals(method)) {
            String unsupported = unsupportedRequire(request);
            if (unsupported != null) {
                return new Verdict(420, "Bad Extension", "Unsupported", unsupported);
            }
        }
        if (Request.REGISTER.equals(method)) {
            return checkRegister(request);
        }
        if (KNOWN_UNSUPPORTED.contains(method)) {
            return new Verdict(405, "Method Not Allowed", "Allow", allowValue());
        }
        if (Request.INVITE.equals(method)) {
            ContentTypeHeader type = request.getContentTypeHeader();
            if (type != null && request.getContentLength().getContentLength() > 0
                    && !("application".equalsIgnoreCase(type.getContentType())
                        && "sdp".equalsIgnoreCase(type.getContentSubType()))) {
                return new Verdict(415, "Unsupported Media Type", "Accept", "application/sdp");
            }
            if (!acceptsSdp(request)) {
                return new Verdict(406, "Not Acceptable", "Warning", "399 - \"application/sdp is the only body this UA sends\"");
            }
        }
        return Verdict.OK;
    }

    public static String allowValue() {
        return String.join(", ", ALLOWED);
    }

    /** We are an endpoint, not a registrar: 405, except that an address of record must be a SIP URI (400). */
    private static Verdict checkRegister(SIPRequest request) {
        if (!isSipScheme(request.getTo().getAddress().getURI().getScheme())
                || !isSipScheme(request.getFrom().getAddress().getURI().getScheme())) {
            return Verdict.of(400, "Address of record must be a sip or sips URI");
        }
        ListIterator<?> contacts = request.getHeaders(ContactHeader.NAME);
        while (contacts.hasNext()) {
            ContactHeader c = (ContactHeader) contacts.next();
            if (c.getAddress() != null && !c.isWildCard() && !isSipScheme(c.getAddress().getURI().getScheme())) {
                return Verdict.of(400, "Contact must be a sip or sips URI");
            }
        }
        return new Verdict(405, "Method Not Allowed", "Allow", allowValue());
    }

    private static boolean isSipScheme(String scheme) {
        return "sip".equalsIgnoreCase(scheme) || "sips".equalsIgnoreCase(scheme);
    }

    /** We support no extensions, so every Require option tag is unsupported. */
    private static String unsupportedRequire(SIPRequest request) {
        ListIterator<?> it = request.getHeaders(RequireHeader.NAME);
        List<String> tags = null;
        while (it.hasNext()) {
            if (tags == null) tags = new ArrayList<>(2);
            tags.add(((RequireHeader) it.next()).getOptionTag());
        }
        return tags == null ? null : String.join(", ", tags);
    }

    private static boolean acceptsSdp(SIPRequest request) {
        ListIterator<?> it = request.getHeaders(AcceptHeader.NAME);
        if (!it.hasNext()) return true; // no Accept means application/sdp (RFC 3261 §20.1)
        while (it.hasNext()) {
            AcceptHeader a = (AcceptHeader) it.next();
            String type = a.getContentType();
            String sub = a.getContentSubType();
            if (type == null) continue;
            if (type.equals("*") || (type.equalsIgnoreCase("application") && (sub == null || sub.equals("*")
                    || sub.equalsIgnoreCase("sdp")))) {
                return true;
            }
        }
        return false;
    }
}
