package io.trunkline.sip.message;

import gov.nist.javax.sip.message.SIPMessage;
import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.message.SIPResponse;
import gov.nist.javax.sip.parser.ParseExceptionListener;
import gov.nist.javax.sip.parser.StringMsgParser;

import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.util.Arrays;

/**
 * Parses and encodes SIP messages with the JAIN-SIP RI message model, without its SipStack: transport,
 * transactions and dialogs are ours. Framing (Content-Length against the bytes actually received) is checked here,
 * because JAIN-SIP trusts Content-Length and would otherwise read past a datagram or truncate silently.
 */
public final class SipCodec {
    /** Largest datagram or stream message we accept; RFC 3261 §18.1.1 leaves room up to the UDP limit. */
    public static final int MAX_MESSAGE_SIZE = 65_535;

    private static final ParseExceptionListener STRICT = SipCodec::rejectHeader;

    private SipCodec() {}

    /**
     * Parses one complete message whose bytes are exactly one datagram (or one framed stream message).
     * Bytes after the body that Content-Length announces are ignored (RFC 3261 §18.3: a datagram's extra octets
     * are discarded); a Content-Length larger than what arrived, negative, or given twice with different values is a
     * framing error (400).
     */
    public static SIPMessage parse(byte[] data, int length) throws SipParseException {
        int start = skipLeadingCrlf(data, length);
        if (start == length) {
            throw new SipParseException(0, false, "empty message or keep-alive");
        }
        boolean looksLikeRequest = !startsWith(data, start, "SIP/");
        int headerEnd = indexOfHeaderEnd(data, start, length);
        if (headerEnd < 0) {
            // A datagram that stops right after a header line's CRLF has lost only its empty line; the datagram
            // boundary already frames it, so read it as headers with no body rather than drop it.
            if (length - start < 2 || data[length - 2] != '\r' || data[length - 1] != '\n') {
                throw new SipParseException(400, looksLikeRequest, "no blank line after the headers");
            }
            data = Arrays.copyOf(data, length + 2);
            data[length] = '\r';
            data[length + 1] = '\n';
            headerEnd = length - 2;
            length += 2;
        }
        int bodyStart = headerEnd + 4;
        if (looksLikeRequest) {
            HeaderGrammar.checkRequestLine(data, start, indexOfCrlf(data, start, headerEnd + 2));
        }
        long declared = declaredContentLength(data, start, headerEnd, looksLikeRequest);
        HeaderGrammar.checkHeaders(data, start, headerEnd, looksLikeRequest);
        int available = length - bodyStart;
        if (declared > available) {
            throw new SipParseException(400, looksLikeRequest,
                    "Content-Length " + declared + " exceeds the " + available + " body bytes received");
        }
        int bodyLength = declared < 0 ? available : (int) declared;
        byte[] exact = (start == 0 && bodyStart + bodyLength == length && data.length == length)
                ? data : Arrays.copyOfRange(data, start, bodyStart + bodyLength);
        SIPMessage message;
        try {
            message = new StringMsgParser().parseSIPMessage(exact, true, false, STRICT);
        } catch (ParseException | RuntimeException e) {
            throw new SipParseException(400, looksLikeRequest, "malformed: " + firstLine(e.getMessage()));
        }
        if (message == null) {
            throw new SipParseException(0, looksLikeRequest, "no message");
        }
        requireMandatoryHeaders(message);
        return message;
    }

    public static SIPMessage parse(byte[] data) throws SipParseException {
        return parse(data, data.length);
    }

    /** Encodes a message for the wire; Content-Length is kept in step with the body by JAIN-SIP. */
    public static byte[] encode(SIPMessage message) {
        // JAIN-SIP rewrites the top Via's transport with this argument, so pass the one already there
        var via = message.getTopmostVia();
        return message.encodeAsBytes(via == null ? "UDP" : via.getTransport());
    }

    /**
     * RFC 3261 §8.1.1 / §8.2: a request needs To, From, CSeq, Call-ID and Via (Max-Forwards is missing from RFC 2543
     * peers, which we tolerate); a response needs the same less Max-Forwards. JAIN-SIP drops unparseable headers when
     * a listener swallows them, so the check is made here, once.
     */
    private static void requireMandatoryHeaders(SIPMessage m) throws SipParseException {
        boolean request = m instanceof SIPRequest;
        String missing = null;
        if (m.getTopmostVia() == null) missing = "Via";
        else if (m.getFrom() == null) missing = "From";
        else if (m.getTo() == null) missing = "To";
        else if (m.getCallId() == null) missing = "Call-ID";
        else if (m.getCSeq() == null) missing = "CSeq";
        if (missing != null) {
            throw new SipParseException(400, request, "missing or malformed " + missing + " header");
        }
        if (request) {
            SIPRequest r = (SIPRequest) m;
            if (r.getRequestLine() == null || r.getRequestURI() == null) {
                throw new SipParseException(400, true, "malformed request line");
            }
        } else if (((SIPResponse) m).getStatusLine() == null) {
            throw new SipParseException(0, false, "malformed status line");
        } else {
            // RFC 3261 §7.2 / §25: Status-Code is 3DIGIT, classes 1xx-6xx; JAIN-SIP reads "1000" as a number and
            // would hand it up as a final response, so an out-of-range code is a malformed message (dropped, counted)
            int code = ((SIPResponse) m).getStatusCode();
            if (code < 100 || code > 699) throw new SipParseException(0, false, "status code out of range 100..699: " + code);
        }
    }

    private static void rejectHeader(ParseException ex, SIPMessage message, Class<?> headerClass,
                                     String headerText, String messageText) throws ParseException {
        // A header we cannot parse is a syntax error: answering 400 beats acting on half a message.
        throw new ParseException("bad header: " + headerName(headerText), ex.getErrorOffset());
    }

    private static String headerName(String headerText) {
        if (headerText == null) return "?";
        int colon = headerText.indexOf(':');
        String name = (colon < 0 ? headerText : headerText.substring(0, colon)).trim();
        return name.length() > 40 ? name.substring(0, 40) : name;
    }

    /** Returns the Content-Length announced in the header block, -1 if absent; throws on negative or conflicting values. */
    private static long declaredContentLength(byte[] d, int from, int headerEnd, boolean request) throws SipParseException {
        long found = -1;
        int lineStart = from;
        while (lineStart < headerEnd) {
            int lineEnd = indexOfCrlf(d, lineStart, headerEnd + 2);
            if (lineEnd < 0) lineEnd = headerEnd;
            int nameEnd = lineStart;
            while (nameEnd < lineEnd && d[nameEnd] != ':' && d[nameEnd] != ' ' && d[nameEnd] != '\t') nameEnd++;
            if (isContentLengthName(d, lineStart, nameEnd)) {
                int p = nameEnd;
                while (p < lineEnd && (d[p] == ' ' || d[p] == '\t')) p++;
                if (p < lineEnd && d[p] == ':') {
                    long value = parseLength(d, p + 1, lineEnd, request);
                    if (found >= 0 && found != value) {
                        throw new SipParseException(400, request, "conflicting Content-Length values");
                    }
                    found = value;
                }
            }
            lineStart = lineEnd + 2;
        }
        return found;
    }

    private static long parseLength(byte[] d, int from, int to, boolean request) throws SipParseException {
        long v = 0;
        int digits = 0;
        for (int i = from; i < to; i++) {
            byte b = d[i];
            if (b == ' ' || b == '\t') continue;
            if (b < '0' || b > '9') throw new SipParseException(400, request, "bad Content-Length");
            if (++digits > 9) throw new SipParseException(400, request, "Content-Length out of range");
            v = v * 10 + (b - '0');
        }
        if (digits == 0) throw new SipParseException(400, request, "empty Content-Length");
        return v;
    }

    private static boolean isContentLengthName(byte[] d, int from, int to) {
        int n = to - from;
        if (n == 1) return (d[from] | 0x20) == 'l';
        return n == 14 && regionMatchesIgnoreCase(d, from, "content-length");
    }

    private static boolean regionMatchesIgnoreCase(byte[] d, int from, String lower) {
        for (int i = 0; i < lower.length(); i++) {
            if ((d[from + i] | 0x20) != lower.charAt(i)) return false;
        }
        return true;
    }

    private static int skipLeadingCrlf(byte[] d, int length) {
        int i = 0;
        while (i < length && (d[i] == '\r' || d[i] == '\n')) i++;
        return i;
    }

    private static boolean startsWith(byte[] d, int from, String prefix) {
        if (d.length - from < prefix.length()) return false;
        for (int i = 0; i < prefix.length(); i++) if (d[from + i] != prefix.charAt(i)) return false;
        return true;
    }

    /** Index of the CRLFCRLF that ends the headers, or -1. */
    static int indexOfHeaderEnd(byte[] d, int from, int to) {
        for (int i = from; i + 3 < to; i++) {
            if (d[i] == '\r' && d[i + 1] == '\n' && d[i + 2] == '\r' && d[i + 3] == '\n') return i;
        }
        return -1;
    }

    static int indexOfCrlf(byte[] d, int from, int to) {
        for (int i = from; i + 1 < to; i++) if (d[i] == '\r' && d[i + 1] == '\n') return i;
        return -1;
    }

    private static String firstLine(String s) {
        if (s == null) return "unparseable";
        int nl = s.indexOf('\n');
        String line = nl < 0 ? s : s.substring(0, nl);
        return line.length() > 120 ? line.substring(0, 120) : line;
    }

    /** For logs: the first line of a datagram, printable characters only. */
    public static String describe(byte[] data, int length) {
        int end = 0;
        while (end < length && end < 100 && data[end] != '\r' && data[end] != '\n') end++;
        StringBuilder sb = new StringBuilder(end);
        for (int i = 0; i < end; i++) {
            char c = (char) (data[i] & 0xff);
            sb.append(c >= 0x20 && c < 0x7f ? c : '?');
        }
        return sb.toString();
    }

    static String ascii(byte[] d, int from, int to) {
        return new String(d, from, to - from, StandardCharsets.ISO_8859_1);
    }
}
