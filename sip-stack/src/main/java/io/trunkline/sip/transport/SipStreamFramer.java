package io.trunkline.sip.transport;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.TooLongFrameException;

import java.util.List;

/**
 * Cuts a SIP byte stream (TCP) into messages: headers up to the empty line, then exactly Content-Length body bytes
 * (RFC 3261 §18.3: Content-Length is mandatory on streams). CRLF keep-alives between messages (RFC 5626 §3.5.1) are
 * skipped. A message without Content-Length, with a bad one, or larger than the limit cannot be framed, so the
 * connection is closed: there is no way to find the next message boundary.
 */
final class SipStreamFramer extends ByteToMessageDecoder {
    private final int maxMessageSize;

    SipStreamFramer(int maxMessageSize) {
        this.maxMessageSize = maxMessageSize;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        while (in.isReadable()) {
            int start = in.readerIndex();
            int end = in.writerIndex();
            int i = start;
            while (i < end && (in.getByte(i) == '\r' || in.getByte(i) == '\n')) i++;
            in.readerIndex(i); // keep-alive CRLFs
            if (i == end) return;
            int headerEnd = findHeaderEnd(in, i, end);
            if (headerEnd < 0) {
                if (end - i > maxMessageSize) throw new TooLongFrameException("SIP headers exceed " + maxMessageSize + " bytes");
                return;
            }
            int contentLength = contentLength(in, i, headerEnd);
            if (contentLength < 0) throw new FramingException("missing or bad Content-Length on a stream");
            int total = headerEnd + 4 - i + contentLength;
            if (total > maxMessageSize) throw new TooLongFrameException("SIP message exceeds " + maxMessageSize + " bytes");
            if (end - i < total) return;
            byte[] message = new byte[total];
            in.readBytes(message);
            out.add(message);
        }
    }

    private static int findHeaderEnd(ByteBuf b, int from, int to) {
        for (int i = from; i + 3 < to; i++) {
            if (b.getByte(i) == '\r' && b.getByte(i + 1) == '\n' && b.getByte(i + 2) == '\r' && b.getByte(i + 3) == '\n') return i;
        }
        return -1;
    }

    /** Content-Length (or compact "l") from the header block; -1 when missing, malformed or given twice differently. */
    private static int contentLength(ByteBuf b, int from, int headerEnd) {
        int value = -1;
        int line = from;
        while (line < headerEnd) {
            int lineEnd = line;
            while (lineEnd < headerEnd && b.getByte(lineEnd) != '\r') lineEnd++;
            int nameEnd = line;
            while (nameEnd < lineEnd && b.getByte(nameEnd) != ':' && b.getByte(nameEnd) != ' ' && b.getByte(nameEnd) != '\t') nameEnd++;
            if (isContentLength(b, line, nameEnd)) {
                int p = nameEnd;
                while (p < lineEnd && b.getByte(p) != ':') p++;
                long v = 0;
                int digits = 0;
                for (p++; p < lineEnd; p++) {
                    byte c = b.getByte(p);
                    if (c == ' ' || c == '\t') continue;
                    if (c < '0' || c > '9' || ++digits > 9) return -1;
                    v = v * 10 + (c - '0');
                }
                if (digits == 0 || (value >= 0 && value != v)) return -1;
                value = (int) v;
            }
            line = lineEnd + 2;
        }
        return value;
    }

    private static boolean isContentLength(ByteBuf b, int from, int to) {
        int n = to - from;
        if (n == 1) return (b.getByte(from) | 0x20) == 'l';
        if (n != 14) return false;
        String name = "content-length";
        for (int i = 0; i < n; i++) if ((b.getByte(from + i) | 0x20) != name.charAt(i)) return false;
        return true;
    }

    static final class FramingException extends RuntimeException {
        FramingException(String message) { super(message, null, false, false); }
    }
}
