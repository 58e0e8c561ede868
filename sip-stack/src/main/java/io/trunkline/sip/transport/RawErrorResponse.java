package io.trunkline.sip.transport;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Builds the error response owed to a request that did not parse (RFC 3261 §8.2: 400, or 505 for a bad version).
 * A parser cannot give us a message model for it, so the response echoes the request's own Via, From, To, Call-ID
 * and CSeq lines byte for byte: the sender can match it, and nothing of ours is interpreted from broken input.
 * Control characters other than HT are dropped from echoed lines, so the echo cannot smuggle anything.
 */
final class RawErrorResponse {
    private static final int MAX_ECHO_LINE = 2048;

    private RawErrorResponse() {}

    /** Returns the response bytes, or null when the request has no Via line to route a response by. */
    static byte[] build(byte[] request, int length, int status, String reason) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(512);
        write(out, "SIP/2.0 " + status + " " + reason + "\r\n");
        boolean haveVia = false;
        int lineStart = skipFirstLine(request, length);
        while (lineStart < length) {
            int lineEnd = lineStart;
            while (lineEnd < length && request[lineEnd] != '\r' && request[lineEnd] != '\n') lineEnd++;
            if (lineEnd == lineStart) break; // blank line: end of headers
            String name = headerName(request, lineStart, lineEnd);
            if (name != null) {
                switch (name) {
                    case "via", "v" -> { haveVia = true; echo(out, request, lineStart, lineEnd); }
                    case "from", "f", "to", "t", "call-id", "i", "cseq" -> echo(out, request, lineStart, lineEnd);
                    default -> { }
                }
            }
            lineStart = lineEnd;
            if (lineStart < length && request[lineStart] == '\r') lineStart++;
            if (lineStart < length && request[lineStart] == '\n') lineStart++;
        }
        if (!haveVia) return null;
        write(out, "Content-Length: 0\r\n\r\n");
        return out.toByteArray();
    }

    private static int skipFirstLine(byte[] d, int length) {
        int i = 0;
        while (i < length && (d[i] == '\r' || d[i] == '\n')) i++;
        while (i < length && d[i] != '\n') i++;
        return i + 1;
    }

    private static String headerName(byte[] d, int from, int to) {
        int end = from;
        while (end < to && d[end] != ':' && d[end] != ' ' && d[end] != '\t') end++;
        if (end == from || end - from > 20) return null;
        return new String(d, from, end - from, StandardCharsets.ISO_8859_1).toLowerCase(java.util.Locale.ROOT);
    }

    private static void echo(ByteArrayOutputStream out, byte[] d, int from, int to) {
        int end = Math.min(to, from + MAX_ECHO_LINE);
        for (int i = from; i < end; i++) {
            int b = d[i] & 0xff;
            if (b >= 0x20 || b == '\t') out.write(b);
        }
        out.write('\r');
        out.write('\n');
    }

    private static void write(ByteArrayOutputStream out, String s) {
        out.writeBytes(s.getBytes(StandardCharsets.ISO_8859_1));
    }
}
