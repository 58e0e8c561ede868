package io.trunkline.sip.message;

/**
 * RFC 3261 grammar checks that JAIN-SIP's lenient parser lets through but that change what a message means:
 * extra spaces in the request line, repeated single-value headers, and address headers whose URI boundaries are
 * ambiguous. Each works on the raw header block, before parsing, so the cost is one scan of header names.
 */
final class HeaderGrammar {
    private HeaderGrammar() {}

    /** Request-Line = Method SP Request-URI SP SIP-Version CRLF: exactly two single spaces, none trailing. */
    static void checkRequestLine(byte[] d, int from, int to) throws SipParseException {
        if (to < 0) throw new SipParseException(400, true, "request line not terminated");
        int spaces = 0;
        for (int i = from; i < to; i++) {
            byte b = d[i];
            if (b == ' ') {
                if (i == from || d[i - 1] == ' ' || i == to - 1) {
                    throw new SipParseException(400, true, "malformed request line: stray whitespace");
                }
                spaces++;
            } else if (b == '\t') {
                throw new SipParseException(400, true, "malformed request line: tab");
            }
        }
        if (spaces != 2) throw new SipParseException(400, true, "malformed request line: Request-URI has whitespace");
        // JAIN-SIP accepts any SIP/x.y; RFC 3261 §8.2.1 wants 505 for a version we do not speak
        String version = "SIP/2.0";
        int v = to - version.length();
        if (v <= from || d[v - 1] != ' ' || !SipCodec.ascii(d, v, to).equalsIgnoreCase(version)) {
            throw new SipParseException(505, true, "Version Not Supported");
        }
    }

    /**
     * Scans the header lines (after the start line) for headers that may appear once only and for malformed
     * name-addr / addr-spec forms in From, To and Contact.
     */
    static void checkHeaders(byte[] d, int from, int headerEnd, boolean request) throws SipParseException {
        int lineStart = SipCodec.indexOfCrlf(d, from, headerEnd + 2) + 2;
        int seen = 0;
        while (lineStart < headerEnd + 2) {
            int lineEnd = SipCodec.indexOfCrlf(d, lineStart, headerEnd + 2);
            if (lineEnd < 0) lineEnd = headerEnd;
            // folded continuation lines (leading SP/HT) belong to the previous header
            while (lineEnd + 2 < headerEnd && (d[lineEnd + 2] == ' ' || d[lineEnd + 2] == '\t')) {
                int next = SipCodec.indexOfCrlf(d, lineEnd + 2, headerEnd + 2);
                lineEnd = next < 0 ? headerEnd : next;
            }
            int nameEnd = lineStart;
            while (nameEnd < lineEnd && d[nameEnd] != ':' && d[nameEnd] != ' ' && d[nameEnd] != '\t') nameEnd++;
            int colon = nameEnd;
            while (colon < lineEnd && d[colon] != ':') colon++;
            Header h = Header.of(d, lineStart, nameEnd);
            if (h != null) {
                if (h.single) {
                    if ((seen & h.bit) != 0) {
                        throw new SipParseException(400, request, "more than one " + h.display + " header");
                    }
                    seen |= h.bit;
                }
                if (h.address && colon < lineEnd) {
                    checkAddress(d, colon + 1, lineEnd, h, request);
                }
            }
            lineStart = lineEnd + 2;
        }
    }

    /** name-addr: no whitespace just inside the angle brackets; display-name a quoted string or tokens; an
     * addr-spec without brackets may not carry '?' (its headers would be read as header parameters). */
    private static void checkAddress(byte[] d, int from, int to, Header h, boolean request) throws SipParseException {
        int lt = -1;
        boolean quoted = false;
        for (int i = from; i < to; i++) {
            byte b = d[i];
            if (b == '"' && (i == from || d[i - 1] != '\\')) quoted = !quoted;
            if (!quoted && b == '<') { lt = i; break; }
        }
        if (lt < 0) {
            for (int i = from; i < to; i++) {
                if (d[i] == '?') throw new SipParseException(400, request, h.display + " addr-spec with headers must use <>");
            }
            return;
        }
        if (lt + 1 < to && (d[lt + 1] == ' ' || d[lt + 1] == '\t')) {
            throw new SipParseException(400, request, "whitespace inside <> in " + h.display);
        }
        int gt = lt + 1;
        while (gt < to && d[gt] != '>') gt++;
        if (gt < to && (d[gt - 1] == ' ' || d[gt - 1] == '\t')) {
            throw new SipParseException(400, request, "whitespace inside <> in " + h.display);
        }
        if (h == Header.CONTACT) return; // a Contact list may hold several display names: JAIN-SIP checks them
        int p = from;
        while (p < lt && (d[p] == ' ' || d[p] == '\t')) p++;
        if (p < lt && d[p] != '"') {
            for (int i = p; i < lt; i++) {
                byte b = d[i];
                if (b != ' ' && b != '\t' && !isTokenChar(b)) {
                    throw new SipParseException(400, request, "unquoted display name in " + h.display + " has '" + (char) b + "'");
                }
            }
        }
    }

    /** RFC 3261 token: alphanum / "-" / "." / "!" / "%" / "*" / "_" / "+" / "`" / "'" / "~". */
    static boolean isTokenChar(byte b) {
        return (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') || (b >= '0' && b <= '9')
                || b == '-' || b == '.' || b == '!' || b == '%' || b == '*' || b == '_' || b == '+'
                || b == '`' || b == '\'' || b == '~';
    }

    private enum Header {
        CALL_ID("Call-ID", "call-id", "i", true, false),
        TO("To", "to", "t", true, true),
        FROM("From", "from", "f", true, true),
        CSEQ("CSeq", "cseq", null, true, false),
        MAX_FORWARDS("Max-Forwards", "max-forwards", null, true, false),
        CONTENT_TYPE("Content-Type", "content-type", "c", true, false),
        CONTACT("Contact", "contact", "m", false, true);

        final String display;
        final String longName;
        final String compact;
        final boolean single;
        final boolean address;
        final int bit = 1 << ordinal();

        Header(String display, String longName, String compact, boolean single, boolean address) {
            this.display = display;
            this.longName = longName;
            this.compact = compact;
            this.single = single;
            this.address = address;
        }

        static Header of(byte[] d, int from, int to) {
            int n = to - from;
            for (Header h : values()) {
                if (matches(d, from, n, h.longName) || (h.compact != null && matches(d, from, n, h.compact))) return h;
            }
            return null;
        }

        private static boolean matches(byte[] d, int from, int n, String lower) {
            if (n != lower.length()) return false;
            for (int i = 0; i < n; i++) if ((d[from + i] | 0x20) != lower.charAt(i)) return false;
            return true;
        }
    }
}
