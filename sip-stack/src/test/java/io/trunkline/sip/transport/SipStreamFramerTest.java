package io.trunkline.sip.transport;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** TCP framing by Content-Length: coalesced, split and keep-alive-separated messages; unframeable input. */
class SipStreamFramerTest {
    private static final String BODY = "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\n";
    private static final String MSG = "INVITE sip:a@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/TCP 127.0.0.1;branch=z9hG4bK-1\r\n"
            + "Content-Length: " + BODY.length() + "\r\n\r\n" + BODY;
    private static final String OPTIONS = "OPTIONS sip:a@127.0.0.1 SIP/2.0\r\nl: 0\r\n\r\n";

    private static EmbeddedChannel channel() {
        return new EmbeddedChannel(new SipStreamFramer(65_535));
    }

    private static String next(EmbeddedChannel ch) {
        byte[] b = ch.readInbound();
        return b == null ? null : new String(b, StandardCharsets.US_ASCII);
    }

    @Test
    void coalescedMessagesAndKeepAlivesAreSplitExactly() {
        EmbeddedChannel ch = channel();
        ch.writeInbound(Unpooled.copiedBuffer("\r\n\r\n" + MSG + "\r\n\r\n" + OPTIONS, StandardCharsets.US_ASCII));
        assertEquals(MSG, next(ch));
        assertEquals(OPTIONS, next(ch), "compact l: is Content-Length too");
        assertNull(next(ch));
    }

    @Test
    void aMessageSplitAcrossReadsIsHeldUntilComplete() {
        EmbeddedChannel ch = channel();
        for (int i = 0; i < MSG.length(); i += 7) {
            assertNull(next(ch));
            ch.writeInbound(Unpooled.copiedBuffer(MSG.substring(i, Math.min(MSG.length(), i + 7)), StandardCharsets.US_ASCII));
        }
        assertEquals(MSG, next(ch));
    }

    @Test
    void missingOrConflictingContentLengthCannotBeFramed() {
        assertThrows(DecoderException.class, () -> channel().writeInbound(
                Unpooled.copiedBuffer("OPTIONS sip:a@b SIP/2.0\r\nVia: x\r\n\r\n", StandardCharsets.US_ASCII)));
        assertThrows(DecoderException.class, () -> channel().writeInbound(
                Unpooled.copiedBuffer("OPTIONS sip:a@b SIP/2.0\r\nContent-Length: 5\r\nl: 13\r\n\r\n", StandardCharsets.US_ASCII)));
        assertThrows(DecoderException.class, () -> channel().writeInbound(
                Unpooled.copiedBuffer("OPTIONS sip:a@b SIP/2.0\r\nContent-Length: -1\r\n\r\n", StandardCharsets.US_ASCII)));
    }

    @Test
    void oversizedMessageIsRefusedBeforeItIsBuffered() {
        EmbeddedChannel ch = new EmbeddedChannel(new SipStreamFramer(1024));
        assertThrows(DecoderException.class, () -> ch.writeInbound(Unpooled.copiedBuffer(
                "OPTIONS sip:a@b SIP/2.0\r\nContent-Length: 5000\r\n\r\n", StandardCharsets.US_ASCII)));
    }
}
