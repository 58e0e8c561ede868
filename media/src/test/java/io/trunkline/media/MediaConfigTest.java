package io.trunkline.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.trunkline.media.codec.G711Codec;
import io.trunkline.media.net.RtpSession;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class MediaConfigTest {
    private static final InetAddress LO = InetAddress.getLoopbackAddress();

    private static String error(Runnable r) {
        return assertThrows(IllegalArgumentException.class, r::run).getMessage();
    }

    @Test
    void errorsNameTheFieldAndTheAllowedRange() {
        MediaConfig ok = MediaConfig.defaults(LO, 40_000, 40_999);
        assertEquals("media.portMin=40001: must be even and in 1024..65532",
                error(() -> MediaConfig.defaults(LO, 40_001, 40_999)));
        assertEquals("media.portMax=40000: must be in 40001..65535",
                error(() -> MediaConfig.defaults(LO, 40_000, 40_000)));
        assertEquals("media.inactivityTimeout=PT-1S: must be in 0..PT1H",
                error(() -> ok.withInactivityTimeout(Duration.ofSeconds(-1))));
        assertEquals("media.consumerQueueFrames=0: must be in 1..1000", error(() -> ok.withConsumerQueueFrames(0)));
        assertEquals("media.rtcpInterval=PT0.05S: must be in 100ms..1m",
                error(() -> ok.withRtcpInterval(Duration.ofMillis(50))));
    }

    @Test
    void sessionStartRejectsBadNegotiatedValues() {
        try (MediaEngine e = new MediaEngine(MediaConfig.defaults(LO, 47_300, 47_399))) {
            RtpSession s = e.openSession("bad", null);
            InetSocketAddress remote = new InetSocketAddress(LO, 4_000);
            assertEquals("payloadType=128: must be in 0..127", error(() -> s.start(remote, 128, G711Codec.PCMU, -1)));
            assertEquals("telephoneEventPayloadType=0: must be -1 or a dynamic type 96..127 other than the audio"
                    + " payload type", error(() -> s.start(remote, 0, G711Codec.PCMU, 0)));
            assertEquals("remote=" + new InetSocketAddress(LO, 65_535) + ": must be a resolved address, port 1..65534",
                    error(() -> s.start(new InetSocketAddress(LO, 65_535), 0, G711Codec.PCMU, -1)));
            s.close();
            assertEquals(0, e.ports().inUse());
        }
    }
}
