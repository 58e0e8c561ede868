package io.trunkline.media.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameDecoder;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Frames read back by Netty's server-side decoder, which insists on masked client frames. */
class ClientTextFrameTest {

    @Test
    void everyLengthClassDecodesToTheSameText() {
        SplittableRandom r = new SplittableRandom(3);
        for (int length : new int[] {0, 1, 3, 4, 5, 125, 126, 127, 440, 65535, 65536, 100_000}) {
            StringBuilder text = new StringBuilder(length);
            for (int i = 0; i < length; i++) text.append((char) ('a' + r.nextInt(26)));
            byte[] payload = text.toString().getBytes(StandardCharsets.UTF_8);
            ByteBuf frame = Unpooled.buffer();
            ClientTextFrame.write(frame, payload, payload.length, r.nextInt());
            assertTrue(frame.readableBytes() <= ClientTextFrame.maxLength(length));

            // a server decoder: expects masking, allows up to 1 MiB
            EmbeddedChannel server = new EmbeddedChannel(new WebSocket13FrameDecoder(true, false, 1 << 20));
            server.writeInbound(frame);
            TextWebSocketFrame decoded = server.readInbound();
            assertEquals(text.toString(), decoded.text(), "length " + length);
            assertTrue(decoded.isFinalFragment());
            decoded.release();
            server.finishAndReleaseAll();
        }
    }
}
